/**
 * Where the benchmarked functions' stdout and stderr go, ours and the baselines' alike: the bytes and
 * lines are counted (the functions still serialise every log line and EMF metric, a real cost in
 * Lambda) but nothing reaches the terminal. `tail` keeps the last lines for a failure message.
 */
export class OutputSink {
  bytes = 0;
  lines = 0;
  private last: string[] = [];

  readonly write = (chunk: string): void => {
    this.bytes += Buffer.byteLength(chunk);
    for (const line of chunk.split("\n")) {
      if (line === "") continue;
      this.lines += 1;
      this.last.push(line);
    }
    if (this.last.length > 20) this.last = this.last.slice(-20);
  };

  tail(): string {
    return this.last.join("\n");
  }
}
