/**
 * This machine as Node names it, `${process.platform}-${process.arch}` ("linux-x64"): the folder
 * baselines are filed under (a baseline holds only on the platform it was measured on) and the
 * suffix of npm's per-platform packages (@ffmpeg-installer/linux-x64). Imports nothing of leakgate.
 */
export const PLATFORM = `${process.platform}-${process.arch}`;
