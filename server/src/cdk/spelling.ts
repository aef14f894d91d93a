// CDK API names as a Python app spells them. Messages name the TypeScript API (`taskRole`,
// `autoScaleTaskCount()`, `ContainerImage.fromAsset`); in Python the same members are snake_case
// (`task_role`, `auto_scale_task_count()`, `ContainerImage.from_asset`) and properties are keyword arguments
// (`task_role=...`). Classes and enum members are spelled alike. Only code spans (`...`) change, and quoted
// text inside them (a context key such as `"@aws-cdk/aws-eks:defaultToAL2023"`) stays as written.

/** A lowerCamelCase word: a member's name (`autoScaleTaskCount`), never a class (`Ec2TaskDefinition`). */
const CAMEL = /\b[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g;

/** `autoScaleTaskCount` -> `auto_scale_task_count`; `AL2023_X86_64` and `Ec2TaskDefinition` are left alone. */
function snake(word: string): string {
  return word.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `{ minCapacity, maxCapacity: 4 }` as keyword arguments: `minCapacity=..., maxCapacity=4`. */
function keywordArguments(props: string): string {
  return props
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p.includes(':') ? p.replace(/^([A-Za-z_$][\w$]*)\s*:\s*/, '$1=') : `${p}=...`))
    .join(', ');
}

/** One code span's text in Python spelling. */
function pythonCode(code: string): string {
  // A span that starts with a property (`taskRole: x`): a keyword argument; so are the props of a call.
  const kwarg = code
    .replace(/^([a-z][A-Za-z0-9]*)\s*:\s+/, (_m, name: string) => `${name}=`)
    .replace(/\(\s*\{([^{}]*)\}\s*\)/g, (_m, props: string) => `(${keywordArguments(props)})`)
    .replace(/,\s*\{([^{}]*)\}\s*\)/g, (_m, props: string) => `, ${keywordArguments(props)})`);
  return kwarg
    .split(/("[^"]*"|'[^']*')/)
    .map((part, i) => (i % 2 ? part : part.replace(CAMEL, snake)))
    .join('');
}

/** A detail with its code spans in Python spelling. */
export function pythonSpelling(text: string): string {
  return text.replace(/`([^`\n]+)`/g, (_m, code: string) => `\`${pythonCode(code)}\``);
}

/**
 * A headline in Python spelling: it names API members without code spans (`has no taskRole`), so only the
 * words its detail shows as code are changed; a construct's own id (`webService`) stays as the app wrote it.
 */
export function pythonHeadline(message: string, detail: string | undefined): string {
  const api = new Set<string>();
  for (const m of (detail ?? '').matchAll(/`([^`\n]+)`/g)) for (const w of m[1].split(/"[^"]*"|'[^']*'/).join(' ').match(CAMEL) ?? []) api.add(w);
  return message.replace(CAMEL, (w) => (api.has(w) ? snake(w) : w));
}
