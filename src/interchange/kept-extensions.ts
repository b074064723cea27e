import { MAX_EXTENSIONS_BYTES } from '../domain/record';
import { MAX_NESTING } from '../domain/validation/nesting';
import { printable } from '../domain/validation/text-hygiene';
import type { MappedRecord } from './mapping-report';

/** A value JSON keeps exactly: YAML can also give NaN and infinities, which JSON would turn into null. */
function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isJsonValue);
  return false;
}

/**
 * How many levels of objects a record's extensions may take: an import checks them inside its workflow's input,
 * four levels down (eight leaves room), and refuses the whole import past MAX_NESTING.
 */
const MAX_EXTENSIONS_LEVELS = MAX_NESTING - 8;

/** How many levels of objects and arrays `value` is (0 for a plain value), counted without recursion. */
function levelsOf(value: unknown): number {
  let deepest = 0;
  const stack: { node: unknown; level: number }[] = [{ node: value, level: 1 }];
  while (stack.length > 0) {
    const { node, level } = stack.pop() as { node: unknown; level: number };
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, level);
    for (const child of Object.values(node)) stack.push({ node: child, level: level + 1 });
  }
  return deepest;
}

/** Sets `key` as an own property whatever its name, so a source key can never reach a prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** How a report words a field dropped for its depth or its size. */
export interface DropWording {
  /** A field nesting `levels` deep where the extensions leave `allowed` levels. */
  tooDeep(levels: number, allowed: number): string;
  /** A field of `bytes` bytes as JSON that would take the extensions of a `kind` past their cap. */
  tooLarge(bytes: number, kind: string): string;
}

const PLAIN_WORDING: DropWording = {
  tooDeep: () => `nests too deeply to keep (extensions may be at most ${MAX_EXTENSIONS_LEVELS} levels deep)`,
  tooLarge: () => `would take the record's extensions past their cap of ${MAX_EXTENSIONS_BYTES} bytes`,
};

/** Where one record's kept fields go, and what each must pass besides fitting. */
export interface KeptExtensionsOptions {
  /** The key of `extensions` the paths are under (`crewai`); none when each path names its key (a card's do). */
  scope?: string;
  /** A format's own check of a source field (its path, segment by segment) before it is kept: why not, or null. */
  screen?: (field: readonly string[], value: unknown) => string | null;
  /** The report's words for a field too deep or too large; by default the same for every field. */
  wording?: DropWording;
}

/** How `keep` reports a field: kept (the default), or mapped to a field of the record's extensions. */
export interface KeepOptions {
  /** Report the field as mapped to this (`extensions.fishbowl`), not as kept. */
  mappedTo?: string;
  /** Why the field is kept rather than mapped, said first if it is dropped ("is longer than … allows"). */
  because?: string;
}

/** Where `place` puts a value: at the path's last key, or at the end of the list there. */
type Placing = 'set' | 'append';

/**
 * What one record keeps of its source in `extensions`, built field by field. Each field is kept whole or not at
 * all: one that fails the format's screen, is not a JSON value, nests too deep, or would take the extensions past
 * MAX_EXTENSIONS_BYTES with what was kept before it is dropped and the record's report says why (never repeating
 * the value). So an import is never refused for its extensions, nor stores half a field, and one field too large
 * does not keep out the smaller ones after it.
 */
export class KeptExtensions {
  private readonly root: Record<string, unknown> = {};

  constructor(
    private readonly report: MappedRecord,
    private readonly options: KeptExtensionsOptions = {},
  ) {}

  /**
   * Keeps `value` at `at` (object keys under the scope) for a source field: `field` is its label in the report, or
   * its path in the source, segment by segment (`['data', 'first_mes']`). True when kept.
   */
  keep(field: string | readonly string[], at: readonly string[], value: unknown, options: KeepOptions = {}): boolean {
    const path = typeof field === 'string' ? [field] : field;
    const name = typeof field === 'string' ? field : field.map(printable).join('.');
    const problem = this.options.screen?.(path, value) ?? this.place('set', at, value);
    if (problem !== null) return this.drop(name, options.because === undefined ? problem : `${options.because}; ${problem}`);
    if (options.mappedTo === undefined) this.report.kept.push(name);
    else this.report.mapped.push({ from: name, to: options.mappedTo });
    return true;
  }

  /** Appends `value` to the list at `at` for the source field labelled `field`, as `keep` keeps one. */
  append(field: string, at: readonly string[], value: unknown): boolean {
    const problem = this.options.screen?.([field], value) ?? this.place('append', at, value);
    if (problem !== null) return this.drop(field, problem);
    this.report.kept.push(field);
    return true;
  }

  /** Notes agentcfg's own bookkeeping at `at`: no source field, so reported only when it does not fit. */
  note(at: readonly string[], value: unknown): boolean {
    const problem = this.place('set', at, value);
    return problem === null ? true : this.drop('(bookkeeping)', problem);
  }

  /** The record's `extensions`, or undefined when nothing was kept. */
  extensions(): Record<string, unknown> | undefined {
    return Object.keys(this.root).length > 0 ? this.root : undefined;
  }

  private drop(field: string, why: string): false {
    this.report.dropped.push({ field, why });
    return false;
  }

  /** Places the value when it fits, else leaves the extensions as they were and says why not. */
  private place(placing: Placing, at: readonly string[], value: unknown): string | null {
    if (!isJsonValue(value)) return 'is not a JSON value (NaN or an infinity?), which extensions cannot hold';
    const wording = this.options.wording ?? PLAIN_WORDING;
    const path = this.options.scope === undefined ? at : [this.options.scope, ...at];
    // The levels above the value: one per key of its path, and the list it is appended to.
    const above = path.length + (placing === 'append' ? 1 : 0);
    if (above + levelsOf(value) > MAX_EXTENSIONS_LEVELS) return wording.tooDeep(levelsOf(value), MAX_EXTENSIONS_LEVELS - above);
    const undo = placing === 'set' ? this.set(path, value) : this.push(path, value);
    if (Buffer.byteLength(JSON.stringify(this.root)) <= MAX_EXTENSIONS_BYTES) return null;
    undo();
    return wording.tooLarge(Buffer.byteLength(JSON.stringify(value)), this.report.kind);
  }

  /** Sets `value` at `path`; returns how to take it back out. */
  private set(path: readonly string[], value: unknown): () => void {
    const { parent, key, unmake } = this.slot(path);
    put(parent, key, value);
    return () => {
      delete parent[key];
      unmake();
    };
  }

  /** Appends `value` to the list at `path`, made as needed; returns how to take it back out. */
  private push(path: readonly string[], value: unknown): () => void {
    const { parent, key, unmake } = this.slot(path);
    if (!Object.hasOwn(parent, key)) put(parent, key, []);
    const list = parent[key] as unknown[];
    list.push(value);
    return () => {
      list.pop();
      if (list.length === 0) delete parent[key];
      unmake();
    };
  }

  /**
   * The object holding the last key of `path`, its parents made as needed; `unmake` removes the parents it made
   * when they are still empty, so a dropped field leaves nothing behind.
   */
  private slot(path: readonly string[]): { parent: Record<string, unknown>; key: string; unmake: () => void } {
    const made: [Record<string, unknown>, string][] = [];
    let parent = this.root;
    for (const key of path.slice(0, -1)) {
      if (!Object.hasOwn(parent, key)) {
        put(parent, key, {});
        made.push([parent, key]);
      }
      parent = parent[key] as Record<string, unknown>;
    }
    const unmake = () => {
      for (const [holder, key] of made.reverse()) if (Object.keys(holder[key] as object).length === 0) delete holder[key];
    };
    return { parent, key: path[path.length - 1] as string, unmake };
  }
}
