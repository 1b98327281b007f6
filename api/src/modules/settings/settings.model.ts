import { Schema, model } from 'mongoose';
import { SETTING_KINDS } from './settings.rules';

/**
 * One document per version of one setting kind; never updated. A change is a new version (last + 1, made
 * unique by the (kind, version) index: of two admins publishing at once, one retries with the next number).
 * A rollback is a new version too, copying an earlier value (rolledBackFrom says which).
 */
const settingVersionSchema = new Schema(
  {
    kind: { type: String, enum: SETTING_KINDS, required: true },
    version: { type: Number, required: true, min: 1 },
    value: { type: Schema.Types.Mixed, required: true },
    /** From when it is in force; a later time schedules the change. */
    effectiveAt: { type: Date, required: true },
    /** Null for the defaults written by the system (version 1). */
    createdBy: { type: String, default: null },
    createdByName: { type: String, default: null },
    createdAt: { type: Date, required: true },
    note: { type: String, default: '' },
    rolledBackFrom: { type: Number, default: null },
  },
  { versionKey: false, minimize: false },
);
settingVersionSchema.index({ kind: 1, version: 1 }, { unique: true });
export const SettingVersionModel = model('SettingVersion', settingVersionSchema, 'setting_versions');
