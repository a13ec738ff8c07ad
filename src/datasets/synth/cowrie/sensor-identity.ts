/**
 * The honeypot a synthetic log pretends to come from: its host name, addresses and the
 * instance UUID Cowrie stamps on every event.
 */
import type { SeededRandom } from "../../../stats/seeded-random";

/** The honeypot the log pretends to come from. */
export interface SensorIdentity {
  /** Cowrie's `sensor` field: the host name. */
  readonly name: string;
  /** `dst_ip` of every connection: the sensor's private address behind the cloud NAT. */
  readonly privateIp: string;
  /** What internet scanners see; some put it in their banner. */
  readonly publicIp: string;
  readonly uuid: string;
}

export function inventSensor(random: SeededRandom): SensorIdentity {
  // AWS default-VPC addressing and host naming, as on the reference sensor (ip-172-31-31-222).
  const privateIp = `172.31.${random.integer(0, 63)}.${random.integer(2, 254)}`;
  const publicIp = `${random.pick([3, 18, 34, 44, 52, 54])}.${random.integer(0, 255)}.${random.integer(0, 255)}.${random.integer(1, 254)}`;
  // Cowrie stamps every event with the instance's version-1 UUID, the same on every line.
  const variant = random.pick(["8", "9", "a", "b"]);
  const uuid = `${random.hex(8)}-${random.hex(4)}-1${random.hex(3)}-${variant}${random.hex(3)}-${random.hex(12)}`;
  return { name: `ip-${privateIp.replace(/\./g, "-")}`, privateIp, publicIp, uuid };
}
