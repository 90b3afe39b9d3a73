import type { GatewayClient } from './search/gateway-client';

/** The same shape the other services answer `/ready` with. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Ready when the gateway answers a trivial query. */
export function gatewayReadiness(gateway: GatewayClient): () => Promise<ReadinessReport> {
  return async () => {
    try {
      await gateway.ping();
      return { ready: true, checks: { gateway: { ok: true } } };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { ready: false, checks: { gateway: { ok: false, detail } } };
    }
  };
}

/** Adds the conversation store (Redis, when used) to a readiness check. */
export function withStoreReadiness(
  readiness: () => Promise<ReadinessReport>,
  store: { kind: string; check(): Promise<void> },
): () => Promise<ReadinessReport> {
  if (store.kind === 'memory') return readiness;
  return async () => {
    const [report, stateStore] = await Promise.all([
      readiness(),
      store.check().then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }),
      ),
    ]);
    return { ready: report.ready && stateStore.ok, checks: { ...report.checks, conversationState: stateStore } };
  };
}
