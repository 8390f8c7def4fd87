// @vitest-environment happy-dom
// Component tests: the workbench against a real Session (the fixture ELF), Cytoscape headless.
import { join } from 'node:path';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { directClient, type ConnectionState } from '../../shared/index.ts';
import { engineParts, Session, type EngineParts } from '../../main/node/session/index.ts';
import type { WorkbenchClient } from './client.ts';
import { useWorkbench } from './stores/workbench.ts';
import { syntheticAnalysis } from '../../../test/support/synthetic-engine.ts';
import { ScriptedMachine } from '../../../test/support/scripted-machine.ts';
import App from './App.vue';

const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/elf/bin/tiny-v8.elf');

function setup(parts: EngineParts = engineParts()) {
  const session = new Session({ parts, defaultImagePath: FIXTURE });
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const client: WorkbenchClient = {
    ...directClient(session),
    transport: 'websocket',
    state: 'open',
    onState: (l) => {
      stateListeners.add(l);
      return () => void stateListeners.delete(l);
    },
  };
  const pinia = createPinia();
  setActivePinia(pinia);
  const wb = useWorkbench();
  wb.headlessGraphs = true;
  wb.attach(client);
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  return { session, wb, wrapper, setState: (s: ConnectionState) => stateListeners.forEach((l) => l(s)) };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await flushPromises();
}

describe('the workbench (component)', () => {
  it('shows empty states for every view before an image is open', async () => {
    const { wrapper } = setup({ ...engineParts(), machine: 'the SPARC machine emulator is not available in this build' });
    await settle();
    expect(wrapper.find('[data-testid="no-image"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="machine-unavailable"]').text()).toMatch(/emulator is not available/);
    for (const [view, empty] of [['code', 'code-empty'], ['callgraph', 'callgraph-empty'], ['function', 'function-empty']]) {
      await wrapper.find(`[data-view="${view}"]`).trigger('click');
      expect(wrapper.find(`[data-testid="${empty}"]`).exists(), view).toBe(true);
    }
    wrapper.unmount();
  });

  it('opens the image, browses /Code by keyboard, and shows the function with its disassembly', async () => {
    const { wb, wrapper } = setup();
    await settle();
    await wrapper.find('[data-testid="open-default"]').trigger('click');
    await vi.waitFor(() => expect(wb.functions.length).toBeGreaterThan(0), { timeout: 10_000 });
    await settle();
    expect(wrapper.find('[data-testid="image-name"]').text()).toBe('tiny-v8.elf');
    await wrapper.find('[data-view="code"]').trigger('click');
    const module = wrapper.find('[data-testid="code-module"]');
    expect(module.exists()).toBe(true);
    await module.trigger('keydown', { key: 'ArrowRight' });
    const fns = wrapper.findAll('[data-testid="code-function"]');
    const moduleName = module.find('.name').text();
    expect(fns.length).toBe(wb.functions.filter((f) => f.module === moduleName).length);
    await wrapper.find('[data-testid="code-search"]').setValue('main');
    expect(wrapper.findAll('[data-testid="code-function"]').map((f) => f.find('.name').text())).toContain('main');
    const tree = wrapper.find('[role="tree"]');
    await tree.trigger('keydown', { key: 'ArrowDown' });
    await tree.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(wb.view).toBe('function');
    await vi.waitFor(() => expect(wrapper.find('[data-testid="function-name"]').exists()).toBe(true), { timeout: 10_000 });
    expect(wrapper.find('[data-testid="function-name"]').text()).toBe('main');
    expect(wrapper.find('[data-testid="disassembly"]').text()).toMatch(/save\s+%sp/);
    await vi.waitFor(() => expect(wrapper.find('[data-testid="cfg-canvas"]').exists()).toBe(true), { timeout: 10_000 });
    wrapper.unmount();
  });

  it('draws the call graph headless when the analysis exists, and says why not when it does not', async () => {
    const without = setup({ ...engineParts(), analysis: 'the analysis is not in this build' });
    await settle();
    await without.wb.openDefault();
    await without.wrapper.find('[data-view="callgraph"]').trigger('click');
    await settle();
    await vi.waitFor(() => expect(without.wrapper.find('[data-testid="analysis-unavailable"]').exists()).toBe(true), { timeout: 10_000 });
    expect(without.wrapper.find('[data-testid="analysis-unavailable"]').text()).toMatch(/not in this build/);
    without.wrapper.unmount();

    const withAnalysis = setup({ ...engineParts(), analysis: syntheticAnalysis(50, 2) });
    await settle();
    await withAnalysis.wb.openDefault();
    await withAnalysis.wrapper.find('[data-view="callgraph"]').trigger('click');
    await settle();
    await vi.waitFor(() => expect(withAnalysis.wb.callGraph?.nodes.length).toBe(50), { timeout: 10_000 });
    await settle();
    expect(withAnalysis.wrapper.find('[data-testid="cg-canvas"]').attributes('data-render-ms')).toBeDefined();
    await withAnalysis.wb.openFunction('main');
    await settle();
    expect(withAnalysis.wrapper.find('[data-testid="cfg-canvas"]').exists()).toBe(true);
    await withAnalysis.wrapper.find('tr[data-address]').trigger('mouseenter');
    expect(withAnalysis.wrapper.find('[data-testid="registers"]').text()).toMatch(/live\s*%o0/);
    withAnalysis.wrapper.unmount();
  });

  it('reports a lost connection and refreshes after reconnecting', async () => {
    const { wrapper, setState } = setup();
    await settle();
    setState('closed');
    await settle();
    expect(wrapper.find('[data-testid="disconnected"]').exists()).toBe(true);
    setState('open');
    await settle();
    expect(wrapper.find('[data-testid="disconnected"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('enables a metric from the Metrics view, shows its samples, and removes it', async () => {
    const machine = new ScriptedMachine();
    const { wb, wrapper } = setup({ ...engineParts(), machine: () => machine });
    await settle();
    await wrapper.find('[data-testid="open-default"]').trigger('click');
    await vi.waitFor(() => expect(wb.functions.length).toBeGreaterThan(0), { timeout: 10_000 });
    await wrapper.find('[data-view="metrics"]').trigger('click');
    expect(wrapper.find('[data-testid="metrics-unavailable"]').text()).toMatch(/boot the kernel/);
    await wb.boot({ name: 'readers', knobs: {} }, 2);
    await settle();
    expect(wrapper.find('[data-testid="metrics-unavailable"]').exists()).toBe(false);
    await wrapper.find('[data-testid="metric-focus"]').setValue('no_such_fn');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(wrapper.find('.form-error').text()).toMatch(/no function "no_such_fn"/);
    const fn = wb.functions[0]!.id;
    await wrapper.find('[data-testid="metric-focus"]').setValue(fn);
    await wrapper.find('[data-testid="metric-pid"]').setValue('7');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(machine.metrics.map((m) => m.focus)).toEqual([{ code: fn, pid: 7 }]);
    expect(wrapper.findAll('[data-testid="metric-row"]')).toHaveLength(1);
    machine.sample([{ id: 1, timeNs: 10_000_000, value: 42, rate: 4200 }]);
    await settle();
    expect(wrapper.find('[data-testid="metric-value"]').text()).toBe('42 calls');
    expect(wrapper.find('[data-testid="metric-kstat"]').text()).toBe('—');
    expect(wrapper.find('[data-testid="metric-rate"]').text()).toBe('4200 calls/s');
    expect(wrapper.find('[data-testid="metric-chart"]').exists()).toBe(true);
    await vi.waitFor(() => expect(wb.spliceLog.map((e) => e.op)).toEqual(['install']));
    // An assertion: the predicate's value is checked before the request goes out.
    await wrapper.find('[data-testid="metric-kind"]').setValue('assertions');
    await wrapper.find('[data-testid="metric-pid"]').setValue('');
    await wrapper.find('[data-testid="predicate-kind"]').setValue('geu');
    await wrapper.find('[data-testid="predicate-value"]').setValue('lots');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(wrapper.find('.form-error').text()).toMatch(/32-bit integer/);
    await wrapper.find('[data-testid="predicate-value"]').setValue('0x1000');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(machine.metrics.at(-1)).toMatchObject({ metric: 'assertions', predicate: { arg: 0, kind: 'geu', value: 4096 } });
    // A trace: its records appear under the chart, newest first.
    await wrapper.find('[data-testid="metric-kind"]').setValue('trace');
    await wrapper.find('form').trigger('submit');
    await settle();
    const trace = machine.metrics.at(-1)!;
    expect(trace.metric).toBe('trace');
    machine.sample([], [{ id: trace.id, dropped: 3, records: [1, 2].map((k) => ({ cpu: k, timeNs: 1000 * k, function: fn, pid: 5, args: [k, 0, 0, 0xffffffff] })) }]);
    await settle();
    const rows = wrapper.findAll('[data-testid="trace-record"]');
    expect(rows.map((r) => r.findAll('td')[1]!.text())).toEqual(['2', '1']);
    expect(rows[0]!.text()).toContain('0xffffffff');
    expect(wrapper.find('[data-testid="trace-records"] caption').text()).toMatch(/3 dropped/);
    machine.sample([{ id: trace.id, timeNs: 5000, value: 6, rate: 1 }], [{ id: trace.id, dropped: 0, records: [{ cpu: 0, timeNs: 4000, function: fn, pid: 6, args: [9, 9, 9, 9] }] }]);
    await settle();
    expect(wrapper.findAll('[data-testid="trace-record"]').map((r) => r.findAll('td')[2]!.text())).toEqual(['6', '5', '5']);
    for (const m of [...machine.metrics].slice(1).reverse()) await wb.disableMetric(m.id);
    await settle();
    await wrapper.find('[data-testid="metric-remove"]').trigger('click');
    await settle();
    expect(wrapper.find('[data-testid="metrics-empty"]').exists()).toBe(true);
    expect(machine.metrics).toEqual([]);
    wrapper.unmount();
  });

  it('switches theme', async () => {
    const { wrapper, wb } = setup();
    const before = wb.theme;
    await wrapper.find('button.theme').trigger('click');
    expect(wb.theme).not.toBe(before);
    expect(document.documentElement.dataset.theme).toBe(wb.theme);
    wrapper.unmount();
  });
});
