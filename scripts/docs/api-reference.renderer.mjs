// Renders the generated block of docs/api.md from the OpenAPI document the real application
// serves at /openapi.json, plus what the document does not carry but the routes declare: who
// may call each route (@PublicRoute, @PushRoute, else admin) and its query parameters
// (@QueryParams).
import { inlineText } from './inline-text.mjs';

/** Where each OpenAPI tag's routes are explained; a tag missing here gets no link. */
const TAG_PAGES = [
  ['health', 'Health', 'operations.md#health-and-metrics'],
  ['admin', 'Log, projections, outbox and flags', 'operations.md#admin-routes'],
  ['leases', 'Leases', 'operations.md#admin-routes'],
  ['push', 'Pub/Sub push', 'ingestion.md#routes'],
  ['quarantine', 'Quarantine', 'ingestion.md#routes'],
  ['dedup', 'Deduplication', 'ingestion.md#routes'],
  ['ingestion', 'Ingestion activity', 'ingestion.md#routes'],
  ['batches', 'Prediction batches', 'batches.md#routes'],
  ['phases', 'Phases', 'phases.md#routes'],
  ['alerts', 'Alerts', 'alerts.md#routes'],
  ['workflows', 'Workflows', 'workflows.md#routes'],
  ['cost', 'Analytics and cost', 'cost.md#routes'],
];

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/** `GET /v1/batches/{id}` as docs write it: `GET /v1/batches/:id`. */
export function routeName(method, path) {
  return `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
}

/** Every route of an OpenAPI document as `METHOD /path/:param`, in document order. */
export function documentRoutes(document) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => routeName(method, path)),
  );
}

/**
 * What the route decorators say, by OpenAPI operation id (`<Controller>_<method>`, the id
 * @nestjs/swagger gives): `access` and `queryParams`. `controllers` are the registered
 * controller classes; `keys` the metadata keys of route-access.decorator and query-params.decorator.
 */
export function routeMetadata(controllers, keys) {
  const byOperation = new Map();
  for (const controller of controllers) {
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[method];
      if (method === 'constructor' || typeof handler !== 'function') continue;
      const read = (key) =>
        Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
      byOperation.set(`${controller.name}_${method}`, {
        access: read(keys.routeAccess) ?? { kind: 'admin' },
        queryParams: read(keys.queryParams) ?? [],
      });
    }
  }
  return byOperation;
}

/** The `api:routes` block. */
export function renderApiReference(document, metadata) {
  const routes = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      name: routeName(method, path),
      operation: item[method],
    })),
  );
  const missing = routes.filter((route) => !metadata.has(route.operation.operationId));
  if (missing.length > 0) {
    throw new Error(
      `api reference: no controller method for operation(s) ${missing.map((route) => `${route.name} (${route.operation.operationId})`).join(', ')}`,
    );
  }
  const tags = [...new Set(routes.map((route) => route.operation.tags?.[0] ?? 'other'))];
  const order = (tag) => {
    const index = TAG_PAGES.findIndex(([known]) => known === tag);
    return index < 0 ? TAG_PAGES.length : index;
  };
  tags.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return tags
    .map((tag) => {
      const [, title, page] = TAG_PAGES.find(([known]) => known === tag) ?? [tag, tag, ''];
      const lead = page ? `Details: [${page.split('#')[0]}](${page}).` : '';
      const items = routes
        .filter((route) => (route.operation.tags?.[0] ?? 'other') === tag)
        .map((route) => renderRoute(route, metadata.get(route.operation.operationId)));
      return [`### ${title}`, lead, items.join('\n')].filter(Boolean).join('\n\n');
    })
    .join('\n\n');
}

function renderRoute(route, metadata) {
  const parameters = route.operation.parameters ?? [];
  const described = new Map(
    parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.description]),
  );
  const queryNames = [...new Set([...metadata.queryParams, ...described.keys()])];
  const notes = [access(metadata.access)];
  if (queryNames.length > 0) {
    const list = queryNames.map((name) =>
      described.get(name) ? `\`${name}\` (${described.get(name)})` : `\`${name}\``,
    );
    notes.push(`query ${list.join(', ')}`);
  }
  const paths = parameters
    .filter((p) => p.in === 'path' && p.description)
    .map((p) => `\`${p.name}\`: ${inlineText(p.description, new Set())}`);
  if (paths.length > 0) notes.push(`path ${paths.join(', ')}`);
  const headers = parameters.filter((p) => p.in === 'header').map((p) => `\`${p.name}\``);
  if (headers.length > 0) notes.push(`header ${headers.join(', ')}`);
  const text = [route.operation.summary, route.operation.description]
    .filter(Boolean)
    .map((part) => inlineText(part.trim().replace(/\.?$/, '.'), new Set()))
    .join(' ');
  return `- \`${route.name}\` (${notes.join('; ')})${text ? `: ${text}` : ''}`;
}

function access(routeAccess) {
  if (routeAccess.kind === 'push') return `push \`${routeAccess.endpoint}\``;
  return routeAccess.kind;
}
