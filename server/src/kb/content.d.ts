// The KB topics, read from kb/*.md and bundled as data by scripts/build.mjs.
declare module 'kb-content' {
  // The same shape team topics are read into (team/frontmatter.ts reads both).
  const topics: Array<import('../team/frontmatter').TopicData>;
  export default topics;
}

// Guides from docs/ (docs/suppressions.md), bundled by scripts/build.mjs: id -> Markdown.
declare module 'kb-guides' {
  const guides: Record<string, string>;
  export default guides;
}
