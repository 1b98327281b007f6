import { Schema, model } from 'mongoose';

/** Named sequences (order numbers per day, the event log). One atomic $inc per number handed out. */
const counterSchema = new Schema({ _id: String, seq: { type: Number, default: 0 } }, { versionKey: false });
export const CounterModel = model('Counter', counterSchema, 'counters');

/** Reserves `count` consecutive numbers and returns the first one. */
export async function nextSeq(name: string, count = 1): Promise<number> {
  const doc = await CounterModel.findOneAndUpdate({ _id: name }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after' }).lean();
  return doc!.seq - count + 1;
}
