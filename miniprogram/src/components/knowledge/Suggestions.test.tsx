import { describe, expect, it, vi } from 'vitest';
import { act, render } from '@testing-library/react';
import { useSuggestions } from './Suggestions';
import { Marked } from './Marked';

const hit = (id: string) => ({
  id,
  title: `文章${id}`,
  categoryId: 'c',
  categoryName: '停电与抢修',
  titleSegments: [{ text: `文章${id}`, hit: false }],
  snippetSegments: [],
  score: 1,
});

function Probe({ text, search }: { text: string; search: (q: string) => Promise<ReturnType<typeof hit>[]> }) {
  const hits = useSuggestions(text, 400, search);
  return <div id="probe">{hits.map((h) => h.id).join(',')}</div>;
}

describe('knowledge suggestions under a form', () => {
  it('searches once the typing stops, at most 5 hits, and not for one character', async () => {
    vi.useFakeTimers();
    try {
      const search = vi.fn(async (_q: string) => ['1', '2', '3', '4', '5', '6'].map(hit));
      const { rerender } = render(<Probe text="家" search={search} />);
      await act(async () => {
        vi.advanceTimersByTime(1000);
      });
      expect(search).not.toHaveBeenCalled();
      rerender(<Probe text="家里没" search={search} />);
      await act(async () => {
        vi.advanceTimersByTime(200);
      });
      rerender(<Probe text="家里没电了" search={search} />);
      await act(async () => {
        vi.advanceTimersByTime(400);
      });
      expect(search).toHaveBeenCalledTimes(1);
      expect(search).toHaveBeenCalledWith('家里没电了');
      expect(document.getElementById('probe')?.textContent).toBe('1,2,3,4,5');
    } finally {
      vi.useRealTimers();
    }
  });

  it('marks the matched words', () => {
    render(
      <Marked
        segments={[
          { text: '家里突然', hit: false },
          { text: '停电', hit: true },
        ]}
      />,
    );
    expect(document.querySelector('.kb-hit')?.textContent).toBe('停电');
  });
});
