import type { IncomingMessage } from 'node:http';
import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { z } from 'zod';
import { loadConfig, type Env } from './config';
import type { Logger } from './logger';

/**
 * OpenTelemetry traces, exported over OTLP/HTTP (JSON) only when an endpoint is configured.
 *
 * Code that makes spans uses the API alone (`@opentelemetry/api`): until `startTracing` registers
 * an SDK, its tracer is a no-op and no SDK module is even loaded. `startTracing` is called by a
 * service's `index.ts`, never by a factory, so tests and tools stay untraced unless they ask.
 */

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);
const otlpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, such as http://127.0.0.1:4318' });

export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/**
 * The standard OpenTelemetry variables this project reads, to spread into a service's own
 * environment schema so one parse names every wrong variable. The OTLP exporter also honours
 * the other standard `OTEL_EXPORTER_OTLP_*` variables itself (headers, timeout, compression).
 */
export const tracingVariables = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUnset, otlpUrl.optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(emptyAsUnset, otlpUrl.optional()),
  OTEL_SERVICE_NAME: z.preprocess(emptyAsUnset, z.string().max(100).optional()),
  OTEL_SDK_DISABLED: z
    .string()
    .optional()
    .transform((value) => value?.trim().toLowerCase() === 'true'),
  OTEL_TRACES_SAMPLER: z.preprocess(
    emptyAsUnset,
    z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
  ),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, { error: 'must be a number from 0 to 1' })
      .max(1, { error: 'must be a number from 0 to 1' })
      .default(1),
  ),
};

const tracingEnvironment = z.object(tracingVariables);
export type TracingEnvironment = z.infer<typeof tracingEnvironment>;

export interface TracingConfig {
  /** Where spans are posted, e.g. `http://collector:4318/v1/traces`. */
  tracesUrl: string;
  /** The `service.name` resource attribute. */
  serviceName: string;
  sampler: SamplerName;
  /** Share of traces kept by the `*traceidratio` samplers. */
  samplerRatio: number;
}

/**
 * Tracing settings from already-parsed variables, or undefined (tracing off) when no endpoint is
 * set or `OTEL_SDK_DISABLED=true`. As the specification says, the signal-specific
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as it is, and the general endpoint gets `/v1/traces`.
 */
export function tracingConfigFrom(values: TracingEnvironment, defaultServiceName: string): TracingConfig | undefined {
  if (values.OTEL_SDK_DISABLED) return undefined;
  const base = values.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!tracesUrl) return undefined;
  return {
    tracesUrl,
    serviceName: values.OTEL_SERVICE_NAME ?? defaultServiceName,
    sampler: values.OTEL_TRACES_SAMPLER,
    samplerRatio: values.OTEL_TRACES_SAMPLER_ARG,
  };
}

/** Parses the tracing variables alone (for services whose schema does not include them). */
export function loadTracingConfig(env: Env, defaultServiceName: string): TracingConfig | undefined {
  return tracingConfigFrom(loadConfig(tracingEnvironment, env), defaultServiceName);
}

export interface Tracing {
  /** Exports every finished span now. */
  flush(): Promise<void>;
  /**
   * Exports what is left, waiting at most `timeoutMs` (default 3 s: the exporter retries an
   * unreachable collector for longer than a stopping service should wait), then unregisters
   * the SDK (the API is a no-op again).
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface StartTracingOptions {
  /** How long finished spans wait to be exported in one batch. Default 5 s (the SDK's). */
  batchDelayMs?: number;
}

/**
 * Loads and registers the OpenTelemetry SDK for this process: W3C `traceparent` propagation,
 * context kept across `await`s, and spans exported in batches to the OTLP endpoint. The SDK's
 * own warnings (an unreachable collector, say) go to `logger`.
 */
export async function startTracing(config: TracingConfig, logger: Logger, options: StartTracingOptions = {}): Promise<Tracing> {
  // Loaded here, not at the top, so a service without an endpoint never loads the SDK.
  const [sdk, { OTLPTraceExporter }, { resourceFromAttributes }, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
    ]);

  const ratio = new sdk.TraceIdRatioBasedSampler(config.samplerRatio);
  const samplers = {
    always_on: new sdk.AlwaysOnSampler(),
    always_off: new sdk.AlwaysOffSampler(),
    traceidratio: ratio,
    parentbased_always_on: new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    parentbased_always_off: new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() }),
    parentbased_traceidratio: new sdk.ParentBasedSampler({ root: ratio }),
  } satisfies Record<SamplerName, unknown>;

  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: samplers[config.sampler],
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: config.tracesUrl }),
        ...(options.batchDelayMs !== undefined ? { scheduledDelayMillis: options.batchDelayMs } : {}),
      }),
    ],
  });

  const sdkLogger = logger.child({ component: 'opentelemetry' });
  // The SDK's messages are often a serialised error; kept whole, but as a field, not the message.
  const report = (message: string, ...args: unknown[]) =>
    sdkLogger.warn({ detail: [message, ...args.map(String)].join(' ').slice(0, 2_000) }, 'the OpenTelemetry SDK reported a problem');
  diag.setLogger(
    {
      error: report,
      warn: report,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (
    !trace.setGlobalTracerProvider(provider) ||
    !context.setGlobalContextManager(contextManager) ||
    !propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  ) {
    throw new Error('OpenTelemetry is already registered in this process; shut the other tracing down first.');
  }
  // Origin and path only: a URL's user-info part would be a credential.
  const { origin, pathname } = new URL(config.tracesUrl);
  logger.info({ tracesUrl: `${origin}${pathname}`, serviceName: config.serviceName, sampler: config.sampler }, 'exporting traces');

  let stopped: Promise<void> | undefined;
  return {
    flush: () => provider.forceFlush(),
    shutdown(timeoutMs = 3_000) {
      stopped ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([provider.shutdown(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        } finally {
          clearTimeout(timer);
          trace.disable();
          context.disable();
          propagation.disable();
          diag.disable();
        }
      })();
      return stopped;
    },
  };
}

/** Attribute names from the OpenTelemetry semantic conventions (HTTP stable; GraphQL in development). */
export const ATTR = {
  HTTP_REQUEST_METHOD: 'http.request.method',
  HTTP_ROUTE: 'http.route',
  HTTP_RESPONSE_STATUS_CODE: 'http.response.status_code',
  URL_PATH: 'url.path',
  URL_SCHEME: 'url.scheme',
  URL_FULL: 'url.full',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  ERROR_TYPE: 'error.type',
  GRAPHQL_OPERATION_NAME: 'graphql.operation.name',
  GRAPHQL_OPERATION_TYPE: 'graphql.operation.type',
} as const;

export interface ServerSpanOptions {
  /** The instrumentation scope, such as `@sp/gateway`. */
  tracerName: string;
  /** The low-cardinality route (`/graphql`), never the path with its query string. */
  route: string;
  /**
   * Continue the caller's trace from its `traceparent` header. Only for callers we trust (the
   * gateway calling a subgraph): a public caller could choose trace ids and force sampling.
   */
  continueTrace: boolean;
}

/**
 * Starts the SERVER span for one HTTP request and returns it with the context to run the request
 * in. Only the method and route are recorded: no query string, addresses or headers.
 */
export function startServerSpan(request: IncomingMessage, options: ServerSpanOptions): { span: Span; context: Context } {
  const parent = options.continueTrace ? propagation.extract(ROOT_CONTEXT, request.headers) : ROOT_CONTEXT;
  const method = request.method ?? 'GET';
  const span = trace.getTracer(options.tracerName).startSpan(
    `${method} ${options.route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR.HTTP_REQUEST_METHOD]: method,
        [ATTR.HTTP_ROUTE]: options.route,
        [ATTR.URL_PATH]: options.route,
        [ATTR.URL_SCHEME]: 'http',
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends a SERVER span with the answer's status; 5xx, or a caller who hung up, marks it failed. */
export function endServerSpan(span: Span, status: number, aborted = false): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR.HTTP_RESPONSE_STATUS_CODE, status);
  if (aborted) {
    span.setAttribute(ATTR.ERROR_TYPE, 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the caller closed the connection before the answer' });
  } else if (status >= 500) {
    span.setAttribute(ATTR.ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
