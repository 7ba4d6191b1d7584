/**
 * What a device's rx_handler says where the device keeps a broadcast and a copy of it, handed to an
 * upper device (a macvlan, an ipvlan), could not be told: the device's own drop is then no certain
 * drop, since that copy may be the one answered (receive turns it into unknown).
 */
export const UNTOLD_COPY = 'untold-copy';
