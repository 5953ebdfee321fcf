import type { RunConfig } from '../config/RunConfig.js';
import { precheckAudio } from '../transcript/precheckAudio.js';

/**
 * Checks that must pass before any model is loaded: chatllm.cpp transcribes nothing, silently,
 * without ffmpeg or with an unreadable audio file, and an hour of runs would measure nothing.
 */
export async function precheckRun(config: RunConfig, env: NodeJS.ProcessEnv): Promise<void> {
  await precheckAudio(config.audioPath, env);
}
