// CloudFormation short-form tags and the long-form intrinsic each one stands for.

const SHORT_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!Cidr': 'Fn::Cidr',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Transform': 'Fn::Transform',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
  '!ForEach': 'Fn::ForEach',
  '!FindInMapWithDefault': 'Fn::FindInMap',
  '!ValueOf': 'Fn::ValueOf',
  '!Contains': 'Fn::Contains',
  '!EachMemberEquals': 'Fn::EachMemberEquals',
  '!EachMemberIn': 'Fn::EachMemberIn',
  '!RefAll': 'Fn::RefAll',
  '!GetParam': 'Fn::GetParam',
};

/** The long-form name (`Fn::Sub`, `Ref`) for a short tag, or undefined for any other tag. */
export function intrinsicForTag(tag: string): string | undefined {
  return Object.hasOwn(SHORT_TAGS, tag) ? SHORT_TAGS[tag] : undefined;
}

export const SHORT_TAG_NAMES = Object.keys(SHORT_TAGS);
