import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

/** The code Hive gives a subgraph request that took too long (errors.ts turns it into SUBGRAPH_UNAVAILABLE). */
export const GATEWAY_TIMEOUT = 'GATEWAY_TIMEOUT';

type SubgraphExecuteHook = NonNullable<GatewayPlugin['onSubgraphExecute']>;
type Executor = Parameters<SubgraphExecuteHook>[0]['executor'];
type ExecutionRequest = Parameters<Executor>[0];

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * One subgraph call in flight. It is also the listener on the transport's long-lived signal
 * (`handleEvent`), so a call allocates no closures for it.
 */
class SubgraphCall {
  timedOut = false;
  timer: NodeJS.Timeout | undefined = undefined;
  reject: ((error: unknown) => void) | undefined = undefined;
  /** Aborts this call's fetch; made when the fetch starts. */
  controller: AbortController | undefined = undefined;
  /** The transport's own signal, aborted when the runtime is disposed. */
  outer: AbortSignal | undefined = undefined;

  constructor(
    readonly subgraphName: string,
    readonly timeoutMs: number,
  ) {}

  handleEvent() {
    this.controller?.abort(this.outer?.reason);
  }

  end() {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this);
  }
}

function timeOut(call: SubgraphCall) {
  const error = new GraphQLError(`The subgraph "${call.subgraphName}" did not answer within ${call.timeoutMs} ms.`, {
    extensions: { code: GATEWAY_TIMEOUT, serviceName: call.subgraphName, http: { status: 504 } },
  });
  call.timedOut = true;
  call.controller?.abort(error);
  call.reject?.(error);
}

/**
 * Fails each subgraph request that has not answered within `timeoutMs` with `GATEWAY_TIMEOUT`
 * (and `serviceName`), and aborts its fetch: what Hive's `upstreamTimeout` option does, without
 * its CPU cost.
 *
 * Why not `upstreamTimeout`: it hands the subgraph executor a new AbortSignal per call, and the
 * HTTP executor joins any such signal with its own long-lived "disposed" signal through
 * `abortSignalAny`, which adds an abort listener to that shared signal and removes it only when
 * the garbage collector has collected the call's signal. Between collections thousands of
 * listeners pile up on the one signal, and Node's `addEventListener` walks them all (looking for
 * a duplicate) on every add. It also left two `AbortSignal.timeout` timers per call to fire 10 s
 * later. In CPU profiles of the gateway benchmark that was the largest part of what our gateway
 * spent per request beyond the bare runtime. So this plugin gives the executor no signal at all:
 * it races the call against one timer (cleared as soon as the subgraph answers) and puts its own
 * AbortController on the fetch itself (`onFetch`), forwarding the transport's signal through a
 * listener it removes when the call ends.
 */
export function subgraphTimeoutPlugin(timeoutMs: number): GatewayPlugin {
  // Keyed by the execution request, which `onFetch` sees as `executionRequest` too.
  const calls = new WeakMap<object, SubgraphCall>();
  // One timed executor per subgraph executor, made once rather than on every call.
  const timedExecutors = new WeakMap<Executor, Map<string, Executor>>();

  function timedExecutor(executor: Executor, subgraphName: string): Executor {
    const timed = (executionRequest: ExecutionRequest) => {
      const call = new SubgraphCall(subgraphName, timeoutMs);
      calls.set(executionRequest, call);
      let result: ReturnType<Executor>;
      try {
        result = executor(executionRequest);
      } catch (error) {
        calls.delete(executionRequest);
        throw error;
      }
      if (!isThenable(result)) {
        calls.delete(executionRequest);
        return result;
      }
      return new Promise((resolve, reject) => {
        call.reject = reject;
        call.timer = setTimeout(timeOut, timeoutMs, call);
        result.then(
          (value) => {
            call.end();
            calls.delete(executionRequest);
            resolve(value);
          },
          (error: unknown) => {
            call.end();
            calls.delete(executionRequest);
            reject(error);
          },
        );
      });
    };
    return timed as Executor;
  }

  return {
    onSubgraphExecute({ subgraphName, executor, setExecutor }) {
      let bySubgraph = timedExecutors.get(executor);
      if (!bySubgraph) timedExecutors.set(executor, (bySubgraph = new Map()));
      let timed = bySubgraph.get(subgraphName);
      if (!timed) bySubgraph.set(subgraphName, (timed = timedExecutor(executor, subgraphName)));
      setExecutor(timed);
    },
    onFetch({ executionRequest, options, setOptions }) {
      const call = executionRequest ? calls.get(executionRequest) : undefined;
      if (!call) return;
      const controller = (call.controller ??= new AbortController());
      if (call.timedOut) controller.abort();
      const outer = options.signal;
      if (outer?.aborted) controller.abort(outer.reason);
      else if (outer && !call.outer) {
        call.outer = outer;
        outer.addEventListener('abort', call);
      }
      setOptions({ ...options, signal: controller.signal });
    },
  };
}
