// @vitest-environment jsdom
import { configure, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as bridge from '../bridge';
import { bridgeMock } from '../bridge/mock';
import { Editor } from '../components/Editor';

vi.mock('../bridge', () => import('../bridge/mock'));

// A loaded machine can take a while to render; waits poll until this deadline.
configure({ asyncUtilTimeout: 5000 });

beforeEach(() => {
  // The desktop window; Version is the only Go method; model features off.
  bridgeMock.reset({ kind: 'wails', ai: false, go: { Version: () => 'v1.4.0-3-gabc1234' } });
});

describe('the About box', () => {
  it('Ctrl+Shift+A shows the name, the version from Version() and the licenses; Escape closes it', async () => {
    const user = userEvent.setup();
    render(<Editor />);
    await user.keyboard('{Control>}{Shift>}A{/Shift}{/Control}');
    const about = screen.getByRole('dialog', { name: 'About FragmentEditor' });
    expect(await screen.findByTestId('about-version')).toHaveTextContent('Version v1.4.0-3-gabc1234');
    expect(bridge.callApp).toHaveBeenCalledWith('Version');
    expect(about).toHaveTextContent(/Wails v2.*MIT/);
    expect(about).toHaveTextContent(/openai-go.*Apache-2\.0/);
    expect(about).toHaveTextContent('WebKitGTK (LGPL-2.1)');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'About FragmentEditor' })).toBeNull();
  });

  it('says it is a browser preview outside the desktop app', async () => {
    bridgeMock.reset({ kind: 'none' });
    const user = userEvent.setup();
    render(<Editor />);
    await user.keyboard('{Control>}{Shift>}A{/Shift}{/Control}');
    expect(screen.getByTestId('about-version')).toHaveTextContent('Page without a server');
  });

  it('the help overlay lists the proxy panel and the About box keys', async () => {
    const user = userEvent.setup();
    render(<Editor />);
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Help' });
    expect(help).toHaveTextContent('Ctrl+Pproxy panel');
    expect(help).toHaveTextContent('Ctrl+Shift+Aabout FragmentEditor');
  });
});
