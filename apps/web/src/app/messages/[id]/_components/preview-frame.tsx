'use client';
// The HTML preview: a sandboxed iframe (no scripts, no same-origin, no top navigation, no
// forms, no popups) on /messages/:id/preview, which adds a strict CSP. Remote content is off
// until the user turns it on; device widths and a dark-mode emulation.
import { useState } from 'react';

export const DEVICES = [
  { id: 'phone', label: 'Phone', width: 375 },
  { id: 'tablet', label: 'Tablet', width: 768 },
  { id: 'desktop', label: 'Desktop', width: null },
] as const;
type Device = (typeof DEVICES)[number]['id'];

export function PreviewFrame({ id }: { id: string }) {
  const [remote, setRemote] = useState(false);
  const [dark, setDark] = useState(false);
  const [device, setDevice] = useState<Device>('desktop');
  const width = DEVICES.find((d) => d.id === device)!.width;
  const src = `/messages/${id}/preview?remote=${remote ? 1 : 0}&scheme=${dark ? 'dark' : 'light'}`;
  return (
    <div>
      <div className="toolbar" role="group" aria-label="Preview options">
        {DEVICES.map((d) => (
          <button key={d.id} type="button" aria-pressed={device === d.id} onClick={() => setDevice(d.id)}>
            {d.label}{d.width ? ` ${d.width}px` : ''}
          </button>
        ))}
        <button type="button" aria-pressed={dark} onClick={() => setDark((v) => !v)}>Dark mode preview</button>
        <button type="button" aria-pressed={remote} onClick={() => setRemote((v) => !v)}>
          {remote ? 'Block remote content' : 'Load remote content'}
        </button>
      </div>
      {!remote && <p className="count" role="note">Remote images and styles are blocked. Loading them tells the sender the message was opened.</p>}
      <iframe
        key={src}
        title="HTML preview of the message"
        className={`preview-frame${dark ? ' dark' : ''}`}
        src={src}
        sandbox=""
        referrerPolicy="no-referrer"
        style={{ width: width ? `${width}px` : '100%' }}
        data-testid="preview-frame"
      />
    </div>
  );
}
