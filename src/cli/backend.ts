import { UsageError, parseOptions, type Command } from "./command.js";

export const backendCommand: Command = {
  summary: "start the fastest tfjs backend for a task here and say which it is (JSON)",
  usage: [
    "Usage: dlcourse backend [--task infer|train]",
    "",
    "Starts the fastest TensorFlow.js backend that can do the task in Node and prints",
    "{backend, task, environment, attempts, threads, canTrain, headline, threadsNote} as JSON.",
  ].join("\n"),
  async run(args, io) {
    const { task = "infer" } = parseOptions(args, ["task"]);
    if (task !== "infer" && task !== "train") {
      throw new UsageError(`invalid --task: "${task}"; use --task infer or --task train`);
    }
    const { initNodeBackend, nodeCores, NODE_THREADS } = await import("../node/backend.js");
    const { describeBackend } = await import("../backend/describe.js");
    const { describeThreads } = await import("../backend/threads.js");
    const choice = await initNodeBackend({ task });
    const { canTrain, headline } = describeBackend(choice);
    const threadsNote = describeThreads(choice.backend, choice.threads, NODE_THREADS, nodeCores());
    io.out.write(`${JSON.stringify({ ...choice, canTrain, headline, threadsNote }, null, 2)}\n`);
    return 0;
  },
};
