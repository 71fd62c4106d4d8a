/** Bounded concurrency for provider calls: at most `limit` tasks in flight, the rest wait in order; a rejection does not stall the queue. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function limiter(limit: number): Limiter {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    active--;
    queue.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const run = () => {
        active++;
        Promise.resolve().then(task).then(resolve, reject).finally(next);
      };
      if (active < limit) run();
      else queue.push(run);
    });
}
