// Types of api-reference.renderer.mjs, for the TypeScript spec that renders the page from src/.

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface RouteMetadata {
  readonly access: { readonly kind: string; readonly endpoint?: string };
  readonly queryParams: readonly string[];
}

export function routeName(method: string, path: string): string;

export function documentRoutes(document: OpenApiDocument): string[];

export function routeMetadata(
  controllers: readonly { readonly name: string; readonly prototype: object }[],
  keys: { routeAccess: string; queryParams: string },
): Map<string, RouteMetadata>;

export function renderApiReference(
  document: OpenApiDocument,
  metadata: ReadonlyMap<string, RouteMetadata>,
): string;
