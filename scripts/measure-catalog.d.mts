// Types for what the tests import from the measuring script.

export interface CatalogItemEntry {
  /** The catalog key: NAME, a subpath, or either with @MAJOR for an older major. */
  key: string;
  /** The specifier as installed in the scratch folder (an alias folder for an older major). */
  spec: string;
  name: string;
  subpath: string;
  pkg: { item: string; name: string; major: string | null; folder: string; range: string };
}

/** `NAME`, `NAME@MAJOR`, either followed by `|SUB,SUB`: one entry for the package and one per subpath. */
export function parseItem(item: string): CatalogItemEntry[];
