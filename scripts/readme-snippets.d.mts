/** The marked blocks of a README: each block's snippet file (relative to the repository) and its text as printed. */
export declare const snippetBlocks: (
  readme: string
) => ReadonlyArray<{ readonly file: string; readonly printed: string }>
/** The ```ts blocks of a README that follow no `<!-- snippet: … -->` line. */
export declare const unmarkedBlocks: (readme: string) => number
/** A snippet file's `// #region readme`, or undefined when it has none. */
export declare const readmeRegion: (text: string) => string | undefined
