// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as bridge from '../bridge';
import { BridgeError } from '../bridge/errors';
import { bridgeMock } from '../bridge/mock';
import { Editor } from '../components/Editor';
import { countFragmentRenders } from '../components/renderCount';
import { parseList } from '../editor/notation';
import type { Batch, ModelInfo, ModelSettings, SlotUpdate, SuggestRequest } from './types';
import { PAGE_CLIENT } from './client';

/** fake.suggestError: refuse windowed requests as backend/assist does when they leave out story text. */
const SHORT = 'short window';

vi.mock('../bridge', () => import('../bridge/mock'));

const settings = (over: Partial<ModelSettings> = {}): ModelSettings => ({
  active: true,
  mode: 'chat',
  template: 'raw',
  system_prompt: 'Continue.',
  temperature: 0.8,
  top_p: 0.95,
  max_tokens: 60,
  suggestions: 2,
  stop_at_sentence: true,
  color: '#2f7ed8',
  context_tokens: 4096,
  top_logprobs: 5,
  ignore_notes: false,
  ...over,
});

const model = (name: string, over: Partial<ModelSettings> = {}): ModelInfo => {
  const s = settings(over);
  return { name, active: s.active, context_tokens: 4096, context_from_server: false, server: '', settings: s };
};

/** The Go side's assist state, faked (its methods: bridgeMock in beforeEach). */
const fake = {
  models: [model('alpha'), model('beta', { color: '#e4572e' })] as ModelInfo[],
  instructions: [] as string[],
  rounds: 0,
  suggestError: null as string | null,
  saveError: null as string | null,
};

beforeEach(() => {
  fake.models = [model('alpha'), model('beta', { color: '#e4572e' })];
  fake.instructions = ['Make it shorter', 'Make it funnier'];
  fake.rounds = 0;
  fake.suggestError = null;
  fake.saveError = null;
  bridgeMock.reset({
    kind: 'wails',
    go: {
      AssistModels: () => fake.models,
      AssistSettings: () => ({ models: {}, active_chosen: false, instructions: fake.instructions }),
      AssistSuggest: (req) => {
        if (fake.suggestError === SHORT) {
          // As backend/assist: only a request that left fragments out can be short.
          if (req.first) throw new BridgeError('the request left out story text the prompt would use', 'short_window');
        } else if (fake.suggestError) throw new Error(fake.suggestError);
        return `r${++fake.rounds}`;
      },
      AssistRegenerate: () => `r${++fake.rounds}`,
      AssistPreview: () => [
        { model: 'alpha', endpoint: '/v1/chat/completions', system: 'Continue.', user: 'MEMORY\n\nB. ', trimmed_bytes: 3, trimmed_fragments: 1, trimmed: 'A. ' },
        { model: 'beta', endpoint: '/v1/completions', trimmed_bytes: 0, trimmed_fragments: 0, error: 'the story notes do not fit the model\'s context: shorten the memory' },
      ],
      AssistSetModelSettings: (n, s) => {
        if (fake.saveError) throw new Error(fake.saveError);
        const settings = s as ModelSettings;
        fake.models = fake.models.map((m) => (m.name === n ? { ...m, active: settings.active, settings } : m));
      },
      AssistCancel: () => undefined,
      AssistCancelAll: () => undefined,
    },
  });
});

const calls = (name: string) => vi.mocked(bridge.callApp).mock.calls.filter((c) => c[0] === name);
/** A round's request as the page built it; every round names this page (Go cancels only this page's rounds). */
function asked(call: unknown[] | undefined): unknown {
  const { client, ...req } = (call?.[1] ?? {}) as { client?: string };
  expect(client).toBe(PAGE_CLIENT);
  return req;
}
const lastSuggest = () => asked(calls('AssistSuggest').at(-1));

async function setup(list: string[]) {
  const user = userEvent.setup();
  render(<Editor initial={parseList(list)} />);
  await screen.findByText('alpha', { selector: '.assist-model, .assist-model *' }).catch(() => undefined);
  return { user };
}

/** Sends a batch as the Go side would (the page's assist:batch handler). */
function emit(b: Partial<Batch> & { round: string; seq: number }) {
  act(() =>
    bridgeMock.emit('assist:batch', { kind: 'continue', target: 0, updates: [], status: [], finished: false, cancelled: false, ...b } satisfies Batch),
  );
}

const slot = (model: string, slotNo: number, text = '', extra: Partial<SlotUpdate> = {}): SlotUpdate => ({
  model,
  index: slotNo,
  slot: slotNo,
  number: (slotNo + 1) % 10,
  text,
  done: false,
  ...extra,
});

/** Batch 0 and one text batch of a four-slot round: alpha 1–2, beta 3–4. */
function fillRound(round: string, texts: string[] = [' One.', ' Two.', ' Three.', ' Four.'], kind: Batch['kind'] = 'continue') {
  const models = ['alpha', 'alpha', 'beta', 'beta'];
  emit({ round, seq: 0, kind, updates: models.map((m, i) => slot(m, i)) });
  emit({ round, seq: 1, kind, updates: texts.map((t, i) => slot(models[i]!, i, t, { done: true })), finished: true });
}

const grid = () => screen.queryByRole('dialog', { name: /Suggestions|Rewrites/ });
const gridNumbers = () => [...grid()!.querySelectorAll('[data-number]')].map((li) => `${li.getAttribute('data-number')}:${li.querySelector('.suggestion-text')!.textContent}`);
const options = () => within(screen.getByRole('listbox', { name: 'Fragments' })).getAllByRole('option');
const shown = () => options().map((o) => (o.getAttribute('aria-selected') === 'true' ? `[${o.textContent}]` : o.textContent));
/** Waits for the pending AssistSuggest promise and its round id. */
const settle = () => act(async () => {});

describe('Tab: a suggestion round', () => {
  it('calls AssistSuggest with the fragments up to the selection, which is what a continuation reads', async () => {
    const { user } = await setup(['A. ', '[B. ]', 'C. ', '<new>']);
    await user.keyboard('{Tab}');
    expect(lastSuggest()).toEqual({ fragments: ['A. ', 'B. '], selection: 1, kind: 'continue' });
    await user.keyboard('{End}{Tab}');
    expect(lastSuggest()).toEqual({ fragments: ['A. ', 'B. ', 'C. '], selection: 3, kind: 'continue' });
  });

  it('a long document: the request carries only the end the largest context can use; Go finding it short gets the whole document', async () => {
    fake.models = [model('alpha'), { ...model('beta'), context_tokens: 256 }];
    // 4096 tokens × 4 bytes: more than 16,384 characters before the selection are never used.
    const long = Array.from({ length: 3000 }, (_, i) => `Sentence number ${String(i).padStart(4, '0')}. `); // 22 characters each
    const { user } = await setup([...long.slice(0, 2000), `[${long[2000]!}]`, ...long.slice(2001), '<new>']);
    await user.keyboard('{Tab}');
    const req = lastSuggest() as SuggestRequest;
    // 745 fragments × 22 = 16,390 > 16,384 ≥ 744 × 22: the window starts 745 before the selection's end.
    expect(req).toMatchObject({ first: 2001 - 745, selection: 2000, kind: 'continue' });
    expect(req.fragments).toEqual(long.slice(2001 - 745, 2001));

    // The model list changed and Go says the window is short: the whole document goes.
    fake.suggestError = SHORT;
    await user.keyboard('{Escape}{Tab}');
    await settle();
    const [tried, whole] = calls('AssistSuggest').slice(-2).map((c) => asked(c) as SuggestRequest);
    expect(tried!.first).toBe(2001 - 745);
    expect(whole).toEqual({ fragments: long.slice(0, 2001), selection: 2000, kind: 'continue' });
    expect(grid()).toHaveAccessibleName('Suggestions');
    expect(screen.queryByText(/left out story text/)).toBeNull();
  });

  it('renders batches in the grid, one group per model, numbered in reading order, text streaming in', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    expect(grid()).toBeInTheDocument();
    emit({ round: 'r1', seq: 0, updates: [slot('alpha', 0), slot('alpha', 1), slot('beta', 2)] });
    emit({ round: 'r1', seq: 1, updates: [slot('beta', 2, ' Wel')] });
    expect(gridNumbers()).toEqual(['1:…', '2:…', '3: Wel']);
    emit({ round: 'r1', seq: 2, updates: [slot('beta', 2, ' Well then.', { done: true }), slot('alpha', 0, ' So.')] });
    expect(gridNumbers()).toEqual(['1: So.', '2:…', '3: Well then.']);
    const groups = within(grid()!).getAllByRole('region');
    expect(groups.map((g) => g.getAttribute('aria-label'))).toEqual(['alpha', 'beta']);
    expect(groups[1]!.style.getPropertyValue('--model-color')).toBe('#e4572e');
    // The list is untouched by the grid.
    expect(shown()).toEqual(['[A. ]', '<new>']);
  });

  it('keeps batches that arrive before AssistSuggest answers, drops those of other rounds', async () => {
    let resolve!: (id: string) => void;
    const { user } = await setup(['[A. ]', '<new>']);
    vi.mocked(bridge.callApp).mockImplementationOnce(async () => new Promise((ok) => (resolve = ok as never)) as never);
    await user.keyboard('{Tab}');
    emit({ round: 'r7', seq: 0, updates: [slot('alpha', 0, ' Early.')] });
    emit({ round: 'r6', seq: 5, updates: [slot('alpha', 0, ' Stale.')] });
    await act(async () => resolve('r7'));
    expect(gridNumbers()).toEqual(['1: Early.']);
  });

  it('ignores batches of an earlier round', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    fillRound('r1');
    await user.keyboard('{Tab}');
    await settle();
    emit({ round: 'r2', seq: 0, updates: [slot('alpha', 0, ' New.')] });
    emit({ round: 'r1', seq: 2, updates: [slot('alpha', 0, ' Old.'), slot('beta', 2, ' Old.')] });
    expect(gridNumbers()).toEqual(['1: New.']);
  });
});

describe('digits', () => {
  it('a digit inserts that suggestion right of the selection, selects it and asks again', async () => {
    const { user } = await setup(['[A. ]', 'Z. ', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    fillRound('r1');
    await user.keyboard('3');
    expect(shown()).toEqual(['A. ', '[ Three.]', 'Z. ', '<new>']);
    const opt = options()[1]!;
    expect(opt).toHaveAttribute('data-source', 'model');
    expect(opt).toHaveAttribute('data-model', 'beta');
    expect(opt).toHaveAttribute('data-alt', '3/4');
    expect(calls('AssistSuggest')).toHaveLength(2);
    expect(lastSuggest()).toEqual({ fragments: ['A. ', ' Three.'], selection: 1, kind: 'continue' });
    await settle();
    expect(gridNumbers()).toEqual([]);
    expect(grid()).toBeInTheDocument();
  });

  it('Ctrl+digit inserts without asking again and closes the grid', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    fillRound('r1');
    await user.keyboard('{Control>}2{/Control}');
    expect(shown()).toEqual(['A. ', '[ Two.]', '<new>']);
    expect(calls('AssistSuggest')).toHaveLength(1);
    expect(grid()).not.toBeInTheDocument();
  });

  it('0 is the tenth suggestion; a number without text does nothing', async () => {
    const { user } = await setup(['[<new>]']);
    await user.keyboard('{Tab}');
    await settle();
    const ten = Array.from({ length: 10 }, (_, i) => slot(i < 5 ? 'alpha' : 'beta', i, i === 3 ? '' : ` S${i + 1}.`));
    emit({ round: 'r1', seq: 0, updates: ten });
    expect(gridNumbers().at(-1)).toBe('0: S10.');
    await user.keyboard('4');
    expect(shown()).toEqual(['[<new>]']);
    await user.keyboard('0');
    expect(shown()).toEqual(['[ S10.]', '<new>']);
  });

  it('digits do nothing when no grid is open', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('1');
    expect(shown()).toEqual(['[A. ]', '<new>']);
  });
});

describe('Escape', () => {
  it('cancels running generations and closes the grid', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    emit({ round: 'r1', seq: 0, updates: [slot('alpha', 0, ' Go')] });
    await user.keyboard('{Escape}');
    expect(calls('AssistCancelAll')).toHaveLength(1);
    // Only this page's rounds: the round and the cancel name the same page, other tabs run on.
    expect(PAGE_CLIENT).toMatch(/^page-[0-9a-f]{24}$/);
    expect(asked(calls('AssistSuggest')[0])).toBeDefined();
    expect(calls('AssistCancelAll')[0]?.[1]).toBe(PAGE_CLIENT);
    expect(grid()).not.toBeInTheDocument();
    emit({ round: 'r1', seq: 1, updates: [slot('alpha', 0, ' Gone.')], cancelled: true, finished: true });
    expect(grid()).not.toBeInTheDocument();
    await user.keyboard('1');
    expect(shown()).toEqual(['[A. ]', '<new>']);
  });

  it('closes another overlay first and leaves the round running', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    await user.keyboard('?');
    expect(screen.getByRole('dialog', { name: 'Help' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(calls('AssistCancelAll')).toHaveLength(0);
    expect(grid()).toBeInTheDocument();
  });
});

describe('alternatives (Up/Down)', () => {
  it('cycles the inserted fragment through the round, in place and undoably', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    fillRound('r1');
    await user.keyboard('{Control>}1{/Control}');
    expect(shown()).toEqual(['A. ', '[ One.]', '<new>']);
    expect(options()[1]).toHaveAttribute('data-alt', '1/4');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(shown()).toEqual(['A. ', '[ Three.]', '<new>']);
    expect(options()[1]).toHaveAttribute('data-alt', '3/4');
    expect(options()[1]).toHaveAttribute('data-model', 'beta');
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(shown()).toEqual(['A. ', '[ Four.]', '<new>']);
    await user.keyboard('u');
    expect(shown()).toEqual(['A. ', '[ One.]', '<new>']);
    await user.keyboard('u');
    expect(shown()).toEqual(['A. ', '[ Two.]', '<new>']);
  });

  it('does nothing on a fragment without alternatives', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{ArrowDown}{ArrowUp}');
    expect(shown()).toEqual(['[A. ]', '<new>']);
    expect(options()[0]).not.toHaveAttribute('data-alt');
  });
});

describe('rewrite (r)', () => {
  it('asks for an instruction with history, streams rewrites, a digit replaces (undoable)', async () => {
    const { user } = await setup(['A. ', '[B. ]', 'C. ', '<new>']);
    await user.keyboard('r');
    const input = await screen.findByRole('textbox', { name: 'Rewrite instruction' });
    expect(input).toHaveValue('Rewrite this sentence');
    expect(input).toHaveFocus();
    await act(async () => {});
    await user.keyboard('{ArrowUp}');
    expect(input).toHaveValue('Make it shorter');
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(input).toHaveValue('Make it funnier');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(input).toHaveValue('Rewrite this sentence');
    await user.keyboard('{ArrowUp}{Enter}');
    expect(lastSuggest()).toEqual({
      fragments: ['A. ', 'B. '],
      selection: 1,
      kind: 'rewrite',
      instruction: 'Make it shorter',
      target: 1,
    });
    expect(screen.queryByRole('textbox', { name: 'Rewrite instruction' })).not.toBeInTheDocument();
    await settle();
    expect(grid()).toHaveAccessibleName('Rewrites');
    fillRound('r1', ['Bee. ', 'Be. ', 'B! ', 'Bb. '], 'rewrite');
    await user.keyboard('2');
    expect(shown()).toEqual(['A. ', '[Be. ]', 'C. ', '<new>']);
    expect(calls('AssistSuggest')).toHaveLength(1);
    expect(grid()).not.toBeInTheDocument();
    expect(options()[1]).toHaveAttribute('data-alt', '3/5');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(shown()).toEqual(['A. ', '[B. ]', 'C. ', '<new>']);
    await user.keyboard('uuu');
    expect(shown()).toEqual(['A. ', '[Be. ]', 'C. ', '<new>']);
    await user.keyboard('u');
    expect(shown()).toEqual(['A. ', '[B. ]', 'C. ', '<new>']);
    expect(options()[1]).not.toHaveAttribute('data-alt');
  });

  it('typed instructions keep their keys; Escape closes the prompt without a round', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('r');
    const input = await screen.findByRole('textbox', { name: 'Rewrite instruction' });
    await user.clear(input);
    await user.keyboard('dx{Escape}');
    expect(shown()).toEqual(['[A. ]', '<new>']);
    expect(calls('AssistSuggest')).toHaveLength(0);
    expect(screen.queryByRole('dialog', { name: 'Rewrite' })).not.toBeInTheDocument();
  });
});

describe('status and errors', () => {
  it('shows each model: waiting, streaming with its rate, error with the backend message', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    const status = () => screen.getByTestId('assist-status');
    expect(status()).toHaveTextContent('alpha idle');
    await user.keyboard('{Tab}');
    await settle();
    emit({
      round: 'r1',
      seq: 0,
      updates: [slot('alpha', 0), slot('beta', 1)],
      status: [
        { model: 'alpha', state: 'waiting', tps: 0 },
        { model: 'beta', state: 'waiting', tps: 0 },
      ],
    });
    expect(status()).toHaveTextContent('alpha waiting');
    expect(status()).toHaveTextContent('beta waiting');
    emit({
      round: 'r1',
      seq: 1,
      status: [
        { model: 'alpha', state: 'streaming', tps: 42.25 },
        { model: 'beta', state: 'error', tps: 0, message: 'model not loaded' },
      ],
    });
    expect(status()).toHaveTextContent('alpha streaming 42.3 tok/s');
    expect(status()).toHaveTextContent('beta error: model not loaded');
    expect(within(grid()!).getByRole('region', { name: 'beta' })).toHaveTextContent('error: model not loaded');
    // The status stays after the grid closes.
    await user.keyboard('{Escape}');
    expect(status()).toHaveTextContent('beta error: model not loaded');
  });

  it('says when no model is discovered and how to fix it', async () => {
    fake.models = [];
    fake.suggestError = 'no models discovered: start an LLM server or add its address to the proxy config';
    const { user } = await setup(['[A. ]', '<new>']);
    expect(await screen.findByTestId('assist-status')).toHaveTextContent(/No models: start an LLM server, or edit the proxy config \(Ctrl\+P\)/);
    await user.keyboard('{Tab}');
    await settle();
    const alert = within(grid()!).getByRole('alert');
    expect(alert).toHaveTextContent('no models discovered: start an LLM server');
    expect(alert).toHaveTextContent(/scans.*Ctrl\+P/);
  });

  it('shows the no-active-model error with its fix', async () => {
    fake.suggestError = 'no active models: switch one on in the model panel (m)';
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    expect(within(grid()!).getByRole('alert')).toHaveTextContent(/no active models.*Press m/);
  });

  it('refetches the model list when the proxy reports a change', async () => {
    await setup(['[A. ]', '<new>']);
    await act(async () => {});
    const before = calls('AssistModels').length;
    fake.models = [...fake.models, model('gamma', { active: true, color: '#29a36a' })];
    await act(async () => bridgeMock.emit('proxy:event', { kind: 'models-changed', added: ['gamma'] }));
    expect(calls('AssistModels').length).toBe(before + 1);
    expect(screen.getByTestId('assist-status')).toHaveTextContent('gamma idle');
    await act(async () => bridgeMock.emit('proxy:event', { kind: 'config-error' }));
    expect(calls('AssistModels').length).toBe(before + 1);
  });
});

describe('the model panel (m)', () => {
  it('lists models with switches; a switch and the settings save through AssistSetModelSettings', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('m');
    const panel = await screen.findByRole('dialog', { name: 'Models' });
    const betaSwitch = within(panel).getByRole('switch', { name: 'Active: beta' });
    expect(within(panel).getByRole('switch', { name: 'Active: alpha' })).toBeChecked();
    await user.click(betaSwitch);
    expect(calls('AssistSetModelSettings').at(-1)).toEqual(['AssistSetModelSettings', 'beta', expect.objectContaining({ active: false, color: '#e4572e' })]);
    await user.click(within(panel).getByRole('button', { name: 'alpha' }));
    const form = within(panel).getByRole('form', { name: 'Settings of alpha' });
    await user.selectOptions(within(form).getByLabelText('Mode'), 'text');
    await user.selectOptions(within(form).getByLabelText('Template'), 'chatml');
    const temp = within(form).getByLabelText('Temperature');
    await user.clear(temp);
    await user.type(temp, '0.3');
    await user.click(within(form).getByLabelText('Stop at the first sentence end'));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(calls('AssistSetModelSettings').at(-1)).toEqual([
      'AssistSetModelSettings',
      'alpha',
      expect.objectContaining({ active: true, mode: 'text', template: 'chatml', temperature: 0.3, stop_at_sentence: false }),
    ]);
    expect(within(form).getByText('saved')).toBeInTheDocument();
  });

  it("shows the Go side's validation message next to its field; Escape closes", async () => {
    fake.saveError = 'invalid model settings: top_p: must be between 0 and 1';
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('m');
    const panel = await screen.findByRole('dialog', { name: 'Models' });
    const topP = within(panel).getByLabelText('Top-p');
    await user.clear(topP);
    await user.type(topP, '3');
    await user.click(within(panel).getByRole('button', { name: 'Save' }));
    const label = topP.closest('label')!;
    expect(within(label).getByRole('alert')).toHaveTextContent('must be between 0 and 1');
    await user.click(topP);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Models' })).not.toBeInTheDocument();
  });

  it('an empty number field is reported here, not sent', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('m');
    const panel = await screen.findByRole('dialog', { name: 'Models' });
    const maxTokens = within(panel).getByLabelText('Max tokens');
    await user.clear(maxTokens);
    await user.click(within(panel).getByRole('button', { name: 'Save' }));
    expect(within(maxTokens.closest('label')!).getByRole('alert')).toHaveTextContent('enter a number');
    expect(calls('AssistSetModelSettings')).toHaveLength(0);
  });

  it('keys typed into its fields never reach the list', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('m');
    const panel = await screen.findByRole('dialog', { name: 'Models' });
    await user.type(within(panel).getByLabelText('System prompt'), 'd1');
    expect(shown()).toEqual(['[A. ]', '<new>']);
  });

  it('keys pressed on its buttons never reach the list (d deletes nothing, Tab asks no model)', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('m');
    const panel = await screen.findByRole('dialog', { name: 'Models' });
    within(panel).getByRole('button', { name: 'alpha' }).focus();
    const asked = calls('AssistSuggest').length;
    await user.keyboard('d{Tab}');
    expect(shown()).toEqual(['[A. ]', '<new>']);
    expect(calls('AssistSuggest')).toHaveLength(asked);
    expect(screen.getByRole('dialog', { name: 'Models' })).toBeInTheDocument();
  });

  it.each([
    ['m', 'Models'],
    ['n', 'Story notes'],
  ])('a click on plain text in the panel (%s) keeps its keys there: d deletes nothing behind it', async (key, name) => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard(key);
    const panel = await screen.findByRole('dialog', { name });
    await user.click(within(panel).getAllByRole('heading')[0]!);
    expect(panel).toHaveFocus();
    await user.keyboard('d');
    expect(shown()).toEqual(['[A. ]', '<new>']);
    expect(screen.getByRole('dialog', { name })).toBeInTheDocument();
  });
});

describe('provenance (a)', () => {
  it('toggles underlines per model colour without touching text content', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    fillRound('r1');
    await user.keyboard('{Control>}3{/Control}');
    const before = options().map((o) => o.textContent);
    await user.keyboard('a');
    const style = document.querySelector('style[data-attribution]');
    expect(style?.textContent).toContain('.fragment[data-model="beta"]{text-decoration-color:#e4572e}');
    expect(options().map((o) => o.textContent)).toEqual(before);
    await user.keyboard('a');
    expect(document.querySelector('style[data-attribution]')).toBeNull();
  });

  it('editing a model fragment marks it edited', async () => {
    const { user } = await setup(['[A. ]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    fillRound('r1');
    await user.keyboard('{Control>}1{/Control}');
    await user.keyboard(' {End}!{Enter}');
    expect(options()[1]!.textContent).toBe(' One.!');
    expect(options()[1]).toHaveAttribute('data-edited', 'true');
    expect(options()[1]).toHaveAttribute('data-model', 'alpha');
    expect(options()[1]).toHaveAttribute('data-alt', '–/4');
  });
});

describe('on a page no server serves', () => {
  it('AI is unavailable: one clear line, no bridge calls, editing works', async () => {
    bridgeMock.reset({ kind: 'none' });
    const { user } = await setup(['[A. ]', '<new>']);
    expect(screen.getByText('AI unavailable (no server)')).toBeInTheDocument();
    await user.keyboard('{Tab}');
    expect(within(grid()!).getByRole('alert')).toHaveTextContent('this page is not served by FragmentEditor or llproxy');
    await user.keyboard('{Escape}');
    expect(grid()).not.toBeInTheDocument();
    expect(vi.mocked(bridge.callApp)).not.toHaveBeenCalled();
    await user.keyboard('iB. {Enter}');
    expect(shown()).toEqual(['A. ', '[B. ]', '<new>']);
  });
});

describe('rendering cost', () => {
  it('batches re-render the grid only, never the fragments of the list', async () => {
    await countFragmentRenders(async (renders) => {
      const { user } = await setup([...Array.from({ length: 30 }, (_, i) => `S${i}. `), '[<new>]']);
      await user.keyboard('{Tab}');
      await settle();
      renders.clear();
      emit({ round: 'r1', seq: 0, updates: [slot('alpha', 0), slot('beta', 1)] });
      for (let i = 1; i < 20; i++) emit({ round: 'r1', seq: i, updates: [slot('alpha', 0, ' word'.repeat(i))] });
      expect(gridNumbers()[0]).toBe(`1:${' word'.repeat(19)}`);
      expect(renders.size).toBe(0);
    });
  });

});

describe('token probabilities, token mode, story notes', () => {
  const toks = [
    { t: ' The', p: 0.9 },
    { t: ' rain', p: 0.256, top: [{ t: ' snow', p: 0.5 }, { t: ' rain', p: 0.256 }] },
    { t: '.', p: 1 },
  ];

  async function inserted() {
    const { user } = await setup(['[It was late.]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    emit({ round: 'r1', seq: 0, updates: [slot('alpha', 0)] });
    emit({ round: 'r1', seq: 1, updates: [slot('alpha', 0, ' The rain.', { done: true, tokens: toks })], finished: true });
    await user.keyboard('{Control>}1{/Control}');
    return { user };
  }

  it('a fragment keeps its tokens: one span each with data-token-prob; p shows the heatmap and its legend', async () => {
    const { user } = await inserted();
    const frag = options()[1]!;
    expect(frag!.textContent).toBe(' The rain.');
    const spans = [...frag.querySelectorAll('span[data-token-prob]')];
    expect(spans.map((e) => `${e.textContent}=${e.getAttribute('data-token-prob')}`)).toEqual([' The=0.90', ' rain=0.26', '.=1.00']);
    expect(screen.queryByRole('complementary', { name: 'Token probability legend' })).toBeNull();
    await user.keyboard('p');
    expect(screen.getByRole('complementary', { name: 'Token probability legend' })).toBeInTheDocument();
    expect(document.querySelector('style[data-token-styles]')?.textContent).toContain('data-token-bucket="1"');
    await user.keyboard('p');
    expect(document.querySelector('style[data-token-styles]')).toBeNull();
  });

  it('t → ↓ Enter: TOKEN mode, the alternatives listbox, and a regeneration from exactly the new prefix', async () => {
    const { user } = await inserted();
    await user.keyboard('t');
    expect(screen.getByTestId('status-mode')).toHaveTextContent('TOKEN');
    await user.keyboard('{ArrowRight}');
    const list = screen.getByRole('listbox', { name: 'Token alternatives' });
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['·rain26 %', '·snow50 %']);
    await user.keyboard('{ArrowDown}');
    expect(within(list).getByRole('option', { selected: true })).toHaveTextContent('·snow');
    await user.keyboard('{Enter}');
    expect(asked(calls('AssistRegenerate').at(-1))).toEqual({ fragments: ['It was late.', ' The rain.'], index: 1, prefix: ' The snow', model: 'alpha' });
    expect(screen.getByTestId('status-mode')).not.toHaveTextContent('TOKEN');
    expect(options()[1]!.textContent).toBe(' The snow');
    await settle();
    const h = (batch: Batch) => bridgeMock.emit('assist:batch', batch);
    act(() => h({ round: 'r2', seq: 0, kind: 'regenerate', target: 1, updates: [slot('alpha', 0, ' The snow had', {})], status: [], finished: false, cancelled: false }));
    expect(options()[1]!.textContent).toBe(' The snow had');
    act(() =>
      h({
        round: 'r2', seq: 1, kind: 'regenerate', target: 1, status: [], finished: true, cancelled: false,
        updates: [slot('alpha', 0, ' The snow had fallen.', { done: true, tokens: [{ t: ' had', p: 0.4 }, { t: ' fallen', p: 0.6 }, { t: '.', p: 1 }] })],
      }),
    );
    expect(options()[1]!.textContent).toBe(' The snow had fallen.');
    expect(options()[1]).toHaveAttribute('data-alt', '2/2');
    expect(options()[1]!.querySelectorAll('[data-token-prob]')).toHaveLength(5);
    // The old version is an alternative: ↑ brings it back; undo too.
    await user.keyboard('{ArrowUp}');
    expect(options()[1]!.textContent).toBe(' The rain.');
  });

  it('t on a fragment without probabilities says so', async () => {
    const { user } = await setup(['[It was late.]', '<new>']);
    await user.keyboard('{Tab}');
    await settle();
    emit({ round: 'r1', seq: 0, updates: [slot('alpha', 0)] });
    emit({ round: 'r1', seq: 1, updates: [slot('alpha', 0, ' The rain.', { done: true })], finished: true });
    await user.keyboard('{Control>}1{/Control}t');
    expect(screen.getByRole('status')).toHaveTextContent('No probabilities from this server');
    expect(options()[1]).toHaveAttribute('data-probs', 'none');
  });

  it('n edits the story notes; Tab sends them with the request', async () => {
    const { user } = await setup(['[It was late.]', '<new>']);
    await user.keyboard('n');
    const dialog = screen.getByRole('dialog', { name: 'Story notes' });
    await user.type(within(dialog).getByRole('textbox', { name: /Memory/ }), 'Mara is a detective.');
    const depth = within(dialog).getByRole('spinbutton', { name: "Author's note depth" });
    await user.clear(depth);
    await user.type(depth, '2');
    await user.type(within(dialog).getByRole('textbox', { name: /Author/ }), 'Terse style.');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Story notes' })).toBeNull();
    await user.keyboard('{Tab}');
    expect(lastSuggest()).toEqual({
      fragments: ['It was late.'], selection: 0, kind: 'continue',
      notes: { memory: 'Mara is a detective.', authors_note: 'Terse style.', depth: 2 },
    });
  });

  it('P shows exactly what each model receives, the trimmed story struck through, and a note too long', async () => {
    const { user } = await setup(['A. ', '[B. ]', '<new>']);
    await user.keyboard('P');
    const dialog = await screen.findByRole('dialog', { name: 'Prompt preview' });
    expect(calls('AssistPreview').at(-1)?.[1]).toEqual({ fragments: ['A. ', 'B. '], selection: 1, kind: 'continue' });
    const alpha = await within(dialog).findByRole('article', { name: 'Prompt of alpha' });
    expect(alpha.querySelector('del.prompt-trimmed')?.textContent).toBe('A. ');
    expect(alpha.querySelector('pre:last-of-type')?.textContent).toBe('A. MEMORY\n\nB. ');
    expect(within(alpha).getByTestId('prompt-trimmed-note')).toHaveTextContent('Trimmed: 1 fragment (3 bytes)');
    expect(within(within(dialog).getByRole('article', { name: 'Prompt of beta' })).getByRole('alert')).toHaveTextContent('shorten the memory');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Prompt preview' })).toBeNull();
  });

  it('keys pressed in the prompt preview stay there: d deletes nothing behind it, ↓ cycles nothing, Tab asks no model', async () => {
    const { user } = await setup(['A. ', '[B. ]', '<new>']);
    await user.keyboard('P');
    const dialog = await screen.findByRole('dialog', { name: 'Prompt preview' });
    expect(dialog).toHaveFocus();
    const rounds = calls('AssistSuggest').length;
    await user.keyboard('d{ArrowDown}x{Tab}');
    expect(shown()).toEqual(['A. ', '[B. ]', '<new>']);
    expect(calls('AssistSuggest')).toHaveLength(rounds);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Prompt preview' })).toBeNull();
  });
});
