'use client';

import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '@/lib/trpc';

export type AreaOption = {
  id: string;
  name: string;
  kind: 'feeder' | 'transformer_area';
  feederId: string | null;
  regionId: string;
  regionName: string;
};

/** Regions plus every region's feeders and transformer areas (outage.areas), for scope pickers and filters. */
export function useAreas(regionId?: string | null) {
  const trpc = useTRPC();
  const regions = useQuery({ ...trpc.outage.areas.queryOptions(), staleTime: 10 * 60_000 });
  const wanted = (regions.data ?? []).filter((r) => !regionId || r.id === regionId);
  const trees = useQueries({
    queries: wanted.map((r) => ({ ...trpc.outage.areas.queryOptions({ regionId: r.id }), staleTime: 10 * 60_000 })),
  });
  const key = trees.map((q) => q.dataUpdatedAt).join(',');
  const nodes = useMemo(() => {
    const out: AreaOption[] = [];
    wanted.forEach((r, i) => {
      for (const n of trees[i]?.data ?? []) {
        if (n.kind === 'feeder' || n.kind === 'transformer_area') {
          out.push({
            id: n.id,
            name: n.name,
            kind: n.kind,
            feederId: 'feederId' in n ? (n.feederId ?? null) : null,
            regionId: r.id,
            regionName: r.name,
          });
        }
      }
    });
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, regionId, regions.dataUpdatedAt]);
  return { regions: regions.data ?? [], nodes, loading: regions.isPending || trees.some((q) => q.isPending) };
}

/** antd Select options grouped by region. */
export function groupedOptions(nodes: AreaOption[], kind: AreaOption['kind']) {
  const groups = new Map<string, { label: string; options: { value: string; label: string }[] }>();
  for (const n of nodes) {
    if (n.kind !== kind) continue;
    const g = groups.get(n.regionId) ?? { label: n.regionName, options: [] };
    g.options.push({ value: n.id, label: n.name });
    groups.set(n.regionId, g);
  }
  return [...groups.values()];
}
