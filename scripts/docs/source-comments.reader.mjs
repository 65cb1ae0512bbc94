// Reads the doc comments the configuration reference is generated from, straight from the
// TypeScript sources (comments do not survive compilation): the summary of each config
// namespace and the description of each TimeoutConfig property.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

function parse(path) {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

function docText(node) {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join(' ');
  return text.replace(/\s+/g, ' ').trim();
}

/** The doc comment of the exported `*_VARS` object of a config namespace file ('' when none). */
export function namespaceSummary(path) {
  for (const statement of parse(path).statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const declaration = statement.declarationList.declarations[0];
    if (declaration && ts.isIdentifier(declaration.name) && declaration.name.text.endsWith('_VARS'))
      return docText(statement);
  }
  return '';
}

/**
 * The properties of class `className` in source order: name, doc comment, and the section they
 * belong to (the last `// --- section` line comment before them, '' when none).
 */
export function classPropertyDocs(path, className) {
  const source = parse(path);
  const declaration = source.statements.find(
    (statement) => ts.isClassDeclaration(statement) && statement.name?.text === className,
  );
  if (!declaration) throw new Error(`${path}: no class ${className}; update ${import.meta.url}`);
  const properties = [];
  let section = '';
  for (const member of declaration.members) {
    for (const range of ts.getLeadingCommentRanges(source.text, member.pos) ?? []) {
      const comment = /^\/\/\s*-+\s*(.+)$/.exec(source.text.slice(range.pos, range.end));
      if (comment) section = comment[1].trim();
    }
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name))
      properties.push({ name: member.name.text, section, description: docText(member) });
  }
  return properties;
}
