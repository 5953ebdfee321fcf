import type { RunConfig } from './RunConfig.js';

/** chatllm.cpp parameters for Qwen3-ASR, as the seed passes them. */
export function engineParams(modelPath: string, config: Pick<RunConfig, 'threads' | 'contextLength' | 'language'>): string[] {
  return [
    '-m',
    modelPath,
    '-n',
    String(config.threads),
    '-c',
    String(config.contextLength),
    '--format',
    'chat',
    '--set',
    'language',
    config.language,
    '--multimedia_file_tags',
    '{{',
    '}}',
  ];
}

/** The user input that makes chatllm.cpp transcribe an audio file. */
export const audioInput = (audioPath: string): string => `{{audio:${audioPath}}}`;
