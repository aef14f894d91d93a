// The Helm template engine as a library (tests, benchmarks): parse, render with a source map, charts.
import { Renderer, topLevel, PLACEHOLDER, type Rendered } from './eval';
import { parseTemplate } from './template';
import { parseYaml } from '../documents/yaml';
import { fromNode, type Value } from './values';

export { parseTemplate, TemplateSyntaxError } from './template';
export { Renderer, RenderError, topLevel, PLACEHOLDER, type Rendered, type Segment } from './eval';
export { UNKNOWN, toYaml, mergeValues, type Value } from './values';
export { semverCompare, sprintf } from './funcs';
export { helmRenderOf, SourceMap } from './render';
export { setChartFileText, loadChart } from './chart';
export { readTarGz } from './archive';

/** Renders template text with `values` (data, or the text of a values.yaml) as `.Values` and `helpers`' named templates. */
export function renderTemplate(src: string, values: Value | string = {}, helpers = '', chart: Record<string, Value> = { name: 'demo', version: '0.1.0', appVersion: '1.0.0' }): Rendered {
  const parsed = parseTemplate(src);
  const defines = new Map(parseTemplate(helpers).defines);
  for (const [k, v] of parsed.defines) defines.set(k, v);
  const data = typeof values === 'string' ? fromNode(parseYaml(values).docs[0]?.root, 'values.yaml') : values;
  return new Renderer({ defines }).render(parsed.root, topLevel(data, chart, 'demo/templates/t.yaml', 'demo/templates'));
}

export { PLACEHOLDER as HELM_PLACEHOLDER };
