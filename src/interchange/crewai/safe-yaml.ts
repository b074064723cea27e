import { isScalar, parseDocument, visit, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { ValidationError } from '../../domain/errors/errors';
import { printable } from '../../domain/validation/text-hygiene';
import { assertImportSize } from '../limits';

/** More aliases than any hand-written file uses; what an alias bomb needs to blow up. */
export const MAX_YAML_ALIASES = 100;

// YAML 1.2's core schema only: no !!binary, !!set or language tags, and `<<` is a plain key, not a merge.
const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  customTags: [],
  resolveKnownTags: false,
  merge: false,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
  // Not 'silent': that would also drop the several-documents error.
  logLevel: 'error',
};

/** The tags the core schema resolves itself; any other explicit tag is refused, not silently read as text. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`));

/** Problems the parser reports, and what it would let through quietly: foreign tags and non-scalar keys. */
function documentProblems(doc: Document.Parsed, text: string): ErrorDetail[] {
  // The line is counted here: the parser's pretty errors would quote the source, which may hold a key.
  const reported = [...doc.errors, ...doc.warnings].slice(0, 10).map((issue) => {
    const line = text.slice(0, issue.pos[0]).split('\n').length;
    return { path: '', message: `${issue.code} at line ${line}: ${issue.message.split('\n')[0] ?? ''}` };
  });
  if (reported.length > 0) return reported;
  const found: ErrorDetail[] = [];
  const note = (message: string): symbol | undefined => (found.push({ path: '', message }) >= 10 ? visit.BREAK : undefined);
  try {
    visit(doc, {
      Pair: (_, pair) => (pair.key !== null && !isScalar(pair.key) ? note('a map key is a collection; keys must be plain text') : undefined),
      Node: (_, node) => (node.tag !== undefined && !CORE_TAGS.has(node.tag) ? note(`tag '${node.tag}' is not allowed; only plain YAML values are read`) : undefined),
    });
  } catch {
    found.push({ path: '', message: 'nests too deeply to read' });
  }
  return found;
}

function refuse(source: string, details: ErrorDetail[]): ValidationError {
  const safe = details.slice(0, 10).map((d) => ({ path: d.path, message: printable(d.message) }));
  return new ValidationError(`${printable(source)} is not safe, valid YAML: ${safe[0]?.message ?? ''}`, safe, { context: { source } });
}

/**
 * Parses untrusted YAML text into plain values, refusing (as a ValidationError) anything beyond plain data: more
 * than 10 MB, syntax errors, several documents, duplicate keys, custom or language tags, collection keys, and
 * more than MAX_YAML_ALIASES alias expansions.
 */
export function parseYamlSafely(text: string, source: string): unknown {
  assertImportSize(text, source);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, PARSE_OPTIONS);
  } catch {
    throw refuse(source, [{ path: '', message: 'cannot be parsed (nested too deeply?)' }]);
  }
  const problems = documentProblems(doc, text);
  if (problems.length > 0) throw refuse(source, problems);
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    const bomb = error instanceof ReferenceError && /alias/i.test(error.message);
    throw refuse(source, [{ path: '', message: bomb ? `uses aliases more than ${MAX_YAML_ALIASES} times (an alias bomb?)` : 'cannot be read as plain data' }]);
  }
}
