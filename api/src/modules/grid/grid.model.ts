import { Schema, model, type InferSchemaType, Types } from 'mongoose';

/** region (供电所/区县) → substation → 10 kV feeder → transformer area (台区). */
export const GRID_KINDS = ['region', 'substation', 'feeder', 'transformer_area'] as const;
export type GridKind = (typeof GRID_KINDS)[number];
export const AREA_TYPES = ['urban', 'rural', 'remote'] as const;

const gridNodeSchema = new Schema(
  {
    kind: { type: String, enum: GRID_KINDS, required: true },
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    parentId: { type: Types.ObjectId, default: null },
    /** Ancestors root-first, so "every area under this feeder" is one indexed query. */
    ancestorIds: { type: [Types.ObjectId], default: [] },
    regionId: { type: Types.ObjectId, default: null },
    feederId: { type: Types.ObjectId, default: null },
    areaType: { type: String, enum: AREA_TYPES, default: 'urban' },
  },
  { timestamps: true },
);
gridNodeSchema.index({ kind: 1, parentId: 1 });
gridNodeSchema.index({ ancestorIds: 1 });

export type GridNode = InferSchemaType<typeof gridNodeSchema> & { _id: Types.ObjectId };
export const GridNodeModel = model('GridNode', gridNodeSchema, 'grid_nodes');
