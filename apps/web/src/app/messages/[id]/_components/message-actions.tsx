'use client';
// Read/unread and delete for one message; opening it marks it read. Keys: Delete, u (back).
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { browserApi } from '~/lib/client/browser-api';
import { useKeyboard } from '~/lib/client/use-keyboard';

export function MessageActions({ id, read: initialRead }: { id: string; read: boolean }) {
  const router = useRouter();
  const [read, setRead] = useState(initialRead);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!initialRead) browserApi.markRead(id, true).then(() => setRead(true), () => undefined);
  }, [id, initialRead]);

  const toggleRead = async () => {
    try {
      await browserApi.markRead(id, !read);
      setRead(!read);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const remove = async () => {
    try {
      await browserApi.deleteMessage(id);
      router.push('/');
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useKeyboard({ Delete: () => void remove(), u: () => router.push('/') });
  return (
    <>
      <button type="button" onClick={() => void toggleRead()}>{read ? 'Mark unread' : 'Mark read'}</button>
      <button type="button" className="danger" onClick={() => void remove()}>Delete</button>
      {error && <span className="notice error" role="alert">{error}</span>}
    </>
  );
}
