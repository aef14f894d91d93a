// @ts-check
// The TextMate injection grammar highlights every short tag the parser understands, and suppression comments.
const assert = require('node:assert/strict');
const grammar = require('../../syntaxes/kb-hints.injection.tmLanguage.json');
const pkg = require('../../package.json');
const { SHORT_TAG_NAMES } = require('../helpers/engine');

describe('YAML injection grammar', () => {
  const shortTag = new RegExp(grammar.repository['short-tag'].match.replace('(?<=^|[\\s\\[{,:-])', '(?:^|(?<=[\\s\\[{,:-]))'));

  it('matches every CloudFormation short tag and nothing longer', () => {
    for (const tag of SHORT_TAG_NAMES) assert.ok(shortTag.test(`Key: ${tag} x`), tag);
    assert.ok(!shortTag.test('Key: !Reference x'));
  });

  it('matches suppression comments', () => {
    const re = new RegExp(grammar.repository.suppression.match);
    assert.ok(re.test('# kb-hints-ignore ecs-task-role-missing reason="no AWS calls" until=2027-01-31'));
  });

  it('is contributed as an injection into YAML', () => {
    assert.deepEqual(pkg.contributes.grammars[0].injectTo, ['source.yaml']);
    assert.equal(pkg.contributes.grammars[0].scopeName, grammar.scopeName);
  });
});
