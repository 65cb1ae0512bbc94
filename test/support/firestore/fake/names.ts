import { invalidArgument } from './errors.js';

/** "projects/p/databases/d/documents/c/x/s/y" as its database and the path below /documents. */
export interface ResourcePath {
  database: string;
  segments: string[];
}

const RESOURCE = /^(projects\/[^/]+\/databases\/[^/]+)\/documents(?:\/(.*))?$/;

export function parseDocumentName(name: string): ResourcePath {
  const path = parseResourcePath(name);
  if (path.segments.length === 0 || path.segments.length % 2 !== 0) {
    throw invalidArgument(
      `Invalid document name: ${name} (expected .../documents/<collection>/<id>...)`,
    );
  }
  return path;
}

/** A query's or a listing's parent: the database root or a document. */
export function parseParent(parent: string): ResourcePath {
  const path = parseResourcePath(parent);
  if (path.segments.length % 2 !== 0) {
    throw invalidArgument(`Invalid parent: ${parent} (expected the database root or a document)`);
  }
  return path;
}

export function documentName(database: string, segments: string[]): string {
  return `${database}/documents/${segments.join('/')}`;
}

export function projectOfDatabase(database: string): string {
  return database.split('/')[1] ?? '';
}

export function isPrefix(prefix: string[], segments: string[]): boolean {
  return prefix.length <= segments.length && prefix.every((segment, i) => segments[i] === segment);
}

function parseResourcePath(name: string): ResourcePath {
  const match = RESOURCE.exec(name);
  const segments = match?.[2]?.split('/') ?? [];
  if (!match?.[1] || segments.includes('')) throw invalidArgument(`Invalid resource name: ${name}`);
  return { database: match[1], segments };
}
