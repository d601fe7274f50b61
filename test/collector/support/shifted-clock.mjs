// Preloaded into a collector (`node --import`) to make its clock read CLOCK_OFFSET_MS ahead of the real
// one, as after a jump of the host's clock. The emulator keeps its own time, as Microsoft does.
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const RealDate = Date;
const shiftedNow = () => RealDate.now() + offset;

globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget),
  apply: () => new RealDate(shiftedNow()).toString(),
  get: (target, property, receiver) => (property === 'now' ? shiftedNow : Reflect.get(target, property, receiver)),
});
