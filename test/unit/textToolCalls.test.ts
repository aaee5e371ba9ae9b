import assert from 'node:assert/strict';
import {
  TextToolCallDetector,
  extractTextToolCalls,
  findCallsInReasoning,
  parseToolCallBlock,
} from '../../src/core/textToolCalls';
import { loadChunkLines } from '../support/fixtures';

const CODER_BLOCK =
  '<tool_call>\n<function=write_file>\n<parameter=path>\nsrc/main.ts\n</parameter>\n<parameter=content>\n' +
  'const a = 1;\n\nexport default a;\n\n</parameter>\n<parameter=overwrite>\ntrue\n</parameter>\n' +
  '<parameter=mode>\n420\n</parameter>\n<parameter=options>\n{"eol": "lf", "tags": ["x"]}\n</parameter>\n' +
  '</function>\n</tool_call>';

const CODER_ARGS = {
  path: 'src/main.ts',
  content: 'const a = 1;\n\nexport default a;\n',
  overwrite: true,
  mode: 420,
  options: { eol: 'lf', tags: ['x'] },
};

function stream(pieces: readonly string[], toolNames?: readonly string[]) {
  const detector = new TextToolCallDetector(toolNames);
  const shown: string[] = [];
  for (const p of pieces) shown.push(detector.push(p));
  shown.push(detector.flush());
  return { content: shown.join(''), shown, calls: detector.calls };
}

function reasoningOf(fixture: string): string {
  let s = '';
  for (const line of loadChunkLines(fixture)) {
    const r = (JSON.parse(line) as { choices: Array<{ delta?: { reasoning_content?: string } }> }).choices[0]?.delta?.reasoning_content;
    if (typeof r === 'string') s += r;
  }
  return s;
}

describe('text-form tool calls', () => {
  describe('parseToolCallBlock', () => {
    it('parses the qwen3-coder parameter form: one framing newline trimmed, JSON values parsed', () => {
      const call = parseToolCallBlock(CODER_BLOCK);
      assert.equal(call?.name, 'write_file');
      assert.deepEqual(call?.arguments, CODER_ARGS);
      assert.deepEqual(JSON.parse(call?.argumentsText ?? ''), CODER_ARGS);
    });

    it('keeps non-JSON-looking values as strings', () => {
      const call = parseToolCallBlock(
        '<function=f>\n<parameter=a>\n007\n</parameter>\n<parameter=b>\nnull\n</parameter>\n<parameter=c>\n"quoted"\n</parameter>\n' +
          '<parameter=d>\n  indented\n</parameter>\n<parameter=e>\ntrue story\n</parameter>\n</function>',
      );
      assert.deepEqual(call?.arguments, { a: '007', b: 'null', c: '"quoted"', d: '  indented', e: 'true story' });
    });

    it('accepts a bare <function=…> block, a JSON body, an empty body and a missing </parameter>', () => {
      assert.deepEqual(parseToolCallBlock('<function=get_weather>{"city":"Lisbon"}</function>')?.arguments, { city: 'Lisbon' });
      assert.deepEqual(parseToolCallBlock('<function=list>\n</function>')?.arguments, {});
      assert.deepEqual(
        parseToolCallBlock('<function=f>\n<parameter=a>\n1\n<parameter=b>\nx\n</function>')?.arguments,
        { a: 1, b: 'x' },
      );
    });

    it('accepts the Hermes JSON form inside <tool_call>', () => {
      const call = parseToolCallBlock('<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n</tool_call>');
      assert.deepEqual([call?.name, call?.arguments], ['read_file', { path: 'a.ts' }]);
      const stringArgs = parseToolCallBlock('<tool_call>{"name":"f","arguments":"{\\"n\\":1}"}</tool_call>');
      assert.deepEqual(stringArgs?.arguments, { n: 1 });
    });

    it('rejects malformed blocks and unknown names', () => {
      for (const bad of [
        '<function=f>not json</function>',
        '<function=f>[1,2]</function>',
        '<function=two words>{}</function>',
        '<function=f>\n<parameter=a>\n1\n</parameter>\nstray text\n</function>',
        '<function=f>{}</function> trailing',
        '<tool_call>\n<function=f>{}</function>\n</tool_call>\nmore',
        '<tool_call>{"arguments": {}}</tool_call>',
        '<tool_call>hello</tool_call>',
      ]) {
        assert.equal(parseToolCallBlock(bad), undefined, bad);
      }
      assert.equal(parseToolCallBlock('<function=rm_rf>{}</function>', { toolNames: ['read_file'] }), undefined);
      assert.ok(parseToolCallBlock('<function=read_file>{}</function>', { toolNames: ['read_file'] }));
    });
  });

  describe('TextToolCallDetector (streaming)', () => {
    const TEXT = `Let me write the file.\n${CODER_BLOCK}\nDone? a < b, x <tool and <function is prose.`;

    it('removes a complete block from the content and keeps the call', () => {
      const { content, calls } = stream([TEXT]);
      assert.equal(content, 'Let me write the file.\n\nDone? a < b, x <tool and <function is prose.');
      assert.equal(calls.length, 1);
      assert.deepEqual(calls[0]?.arguments, CODER_ARGS);
    });

    it('property: the same result for every split point, and raw call XML is never shown', () => {
      const whole = stream([TEXT]);
      for (let i = 0; i <= TEXT.length; i++) {
        const split = stream([TEXT.slice(0, i), TEXT.slice(i)]);
        assert.equal(split.content, whole.content, `split at ${i}`);
        assert.deepEqual(split.calls, whole.calls, `split at ${i}`);
        for (const shown of split.shown) assert.ok(!shown.includes('<parameter='), `split at ${i}`);
      }
      const chars = stream([...TEXT]);
      assert.equal(chars.content, whole.content);
      assert.deepEqual(chars.calls, whole.calls);
    });

    it('holds back only from the start of a possible block', () => {
      const d = new TextToolCallDetector();
      assert.equal(d.push('Reading now <tool_'), 'Reading now ');
      assert.equal(d.push('call>\n<func'), '');
      assert.equal(d.push('tion=read_file>\n<parameter=path>\na'), '');
      assert.equal(d.push('.ts\n</parameter>\n</function>\n</tool_call>\nok'), '\nok');
      assert.deepEqual(d.calls.map((c) => [c.name, c.arguments]), [['read_file', { path: 'a.ts' }]]);
    });

    it('prose that only mentions the tags is released as soon as it cannot be a call', () => {
      const d = new TextToolCallDetector();
      assert.equal(d.push('Use the <tool_call> tag to wrap calls'), 'Use the <tool_call> tag to wrap calls');
      assert.equal(d.push(' and <function=my func> too'), ' and <function=my func> too');
      assert.equal(d.flush(), '');
      assert.deepEqual(d.calls, []);
    });

    it('an unknown tool name is released as content when tool names are known', () => {
      const block = '<function=delete_all>\n<parameter=x>\n1\n</parameter>\n</function>';
      const { content, calls } = stream([`a ${block} b`], ['read_file']);
      assert.equal(content, `a ${block} b`);
      assert.deepEqual(calls, []);
    });

    it('an unclosed block is released as content at the end, split or not', () => {
      const text = 'Try:\n<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a.ts\n';
      for (let i = 0; i <= text.length; i++) {
        const { content, calls } = stream([text.slice(0, i), text.slice(i)]);
        assert.equal(content, text, `split at ${i}`);
        assert.deepEqual(calls, []);
      }
    });

    it('a closed but unparsable block is released where it stood', () => {
      const text = 'x <function=f>not json</function> y';
      assert.deepEqual(stream([text]), { content: text, shown: [text, ''], calls: [] });
    });

    it('two blocks give two calls in order', () => {
      const text =
        '<tool_call>\n<function=a>\n</function>\n</tool_call>\n<tool_call>\n<function=b>\n<parameter=n>\n2\n</parameter>\n</function>\n</tool_call>';
      const { content, calls } = extractTextToolCalls(text);
      assert.equal(content, '\n');
      assert.deepEqual(calls.map((c) => [c.name, c.arguments]), [['a', {}], ['b', { n: 2 }]]);
    });

    it('a <tool_call> missing only its closing tag counts at a normal end, not after a cut', () => {
      const text = '<tool_call>\n<function=read_file>\n<parameter=path>\na\n</parameter>\n</function>\n';
      const normal = new TextToolCallDetector();
      normal.push(text);
      assert.equal(normal.flush(true), '');
      assert.equal(normal.calls.length, 1);
      const cut = new TextToolCallDetector();
      cut.push(text);
      assert.equal(cut.flush(false), text);
      assert.equal(cut.calls.length, 0);
    });
  });

  describe('findCallsInReasoning', () => {
    it('finds the XML call in the qwen3-coder fixture (literal \\n in the text)', () => {
      const reasoning = reasoningOf('alibaba-reasoning-tool-call-qwen3-coder');
      assert.ok(reasoning.includes('planning.\\n<tool_call>'), 'the fixture has a literal backslash-n');
      const calls = findCallsInReasoning(reasoning, ['get_weather']);
      assert.deepEqual(calls, [{ name: 'get_weather', arguments: { city: 'Lisbon' }, argumentsText: '{"city":"Lisbon"}' }]);
    });

    it('finds the fenced JSON tool_calls block in the qwen3.5 fixture', () => {
      const calls = findCallsInReasoning(reasoningOf('alibaba-reasoning-tool-call'));
      assert.deepEqual(calls, [{ name: 'get_weather', arguments: { city: 'Lisbon' }, argumentsText: '{"city":"Lisbon"}' }]);
    });

    it('reads the <parameter=…> form with literal \\n separators', () => {
      const reasoning =
        'I will check.\\n<tool_call>\\n<function=get_weather>\\n<parameter=city>\\nLisbon\\n</parameter>\\n<parameter=days>\\n3\\n</parameter>\\n</function>\\n</tool_call>';
      assert.deepEqual(findCallsInReasoning(reasoning, ['get_weather'])[0]?.arguments, { city: 'Lisbon', days: 3 });
    });

    it('ignores calls to tools that were not offered, prose and incomplete blocks', () => {
      const reasoning =
        'The code uses <function=run_shell>{"cmd":"rm -rf /"}</function> somewhere. ' +
        'Maybe I should call <function=get_weather> but not yet. ```json\n{"tool_calls":[{"function":{"name":"run_shell","arguments":"{}"}}]}\n```';
      assert.deepEqual(findCallsInReasoning(reasoning, ['get_weather', 'read_file']), []);
      assert.deepEqual(findCallsInReasoning('I could use <tool_call> here, with <function=get_weather>{"city":', ['get_weather']), []);
    });

    it('skips a <tool_call> mentioned in prose before the real one, and de-duplicates a repeated call', () => {
      const call = '<tool_call><function=get_weather>{"city":"Oslo"}</function></tool_call>';
      const reasoning = `I need a <tool_call> for this. First: ${call} Again: ${call}`;
      assert.deepEqual(findCallsInReasoning(reasoning, ['get_weather']).map((c) => c.arguments), [{ city: 'Oslo' }]);
    });

    it('returns an empty list for ordinary reasoning', () => {
      assert.deepEqual(findCallsInReasoning('We are asked how many r are in strawberry. ```python\nprint(1)\n```'), []);
    });
  });
});
