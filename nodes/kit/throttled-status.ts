/**
 * A node's status, redrawn at most every half second. A node that handles thousands of
 * messages a second would otherwise send the editor a status per message over the
 * websocket; the counts an analyst reads are just as true twice a second. A status the same as
 * the one shown is not sent again, so a node may redraw on a timer without chattering.
 *
 *     const status = new ThrottledStatus(node, () => ({ fill: "green", shape: "dot", text: `${seen} seen` }));
 *     status.soon();                                    // after each message
 *     status.flash({ fill: "red", shape: "ring", text: "bad input" });  // shown now, counts again later
 *     status.stop();                                    // in close()
 */
import type { Node, NodeStatus } from "node-red";

export const STATUS_INTERVAL_MS = 500;

export class ThrottledStatus {
  private timer: NodeJS.Timeout | undefined;
  private shown = "";

  constructor(private readonly node: Pick<Node, "status">, private readonly render: () => NodeStatus, private readonly intervalMs = STATUS_INTERVAL_MS) {}

  /** Draws the status now, cancelling a pending redraw. */
  now(): void {
    this.cancel();
    this.show(this.render());
  }

  /** Draws the status within the interval, unless a redraw is already pending. */
  soon(): void {
    this.timer ??= setTimeout(() => this.now(), this.intervalMs);
  }

  /** Shows `status` (an error, say) now, and the usual status again after the interval. */
  flash(status: NodeStatus): void {
    this.cancel();
    this.show(status);
    this.timer = setTimeout(() => this.now(), this.intervalMs);
  }

  stop(): void {
    this.cancel();
  }

  private show(status: NodeStatus): void {
    const key = JSON.stringify(status);
    if (key !== this.shown) this.node.status(status);
    this.shown = key;
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
