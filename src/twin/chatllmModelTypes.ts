import type { ConfigField } from './configStruct.js';
import { baseConfigLayout, qwen3AsrConfigLayout, qwen3ConfigLayout } from './chatllmConfigLayouts.js';

/** A chatllm.cpp model type id (convert.py `ModelType`) leakgate can name. */
export interface ChatllmModelType {
  id: number;
  name: string;
  /** The config struct that follows the type and version; readers decode at least the base config. */
  configLayout: readonly ConfigField[];
  /** 'bpe' when the tokenizer section is BPEProcessor2's tokens-then-merges layout leakgate can walk. */
  vocabFormat: 'bpe' | 'other';
}

/** Model types leakgate recognises; others are reported by hex id with only the base config decoded. */
const chatllmModelTypes: readonly ChatllmModelType[] = [
  { id: 0x1000010f, name: 'Qwen3-ASR', configLayout: qwen3AsrConfigLayout, vocabFormat: 'bpe' },
  // ModelTypeTagChatAudioIn + 2
  {
    id: 0x04000002,
    name: 'Qwen3-ForcedAligner',
    configLayout: [...qwen3AsrConfigLayout, { key: 'classifyNum', kind: 'i32' }],
    vocabFormat: 'bpe',
  },
  { id: 0x1000010d, name: 'GLM-ASR', configLayout: baseConfigLayout, vocabFormat: 'other' },
  { id: 0x755, name: 'Qwen3', configLayout: qwen3ConfigLayout, vocabFormat: 'bpe' },
];

/** The known model type with this id, or undefined. */
export function chatllmModelTypeById(id: number): ChatllmModelType | undefined {
  return chatllmModelTypes.find((t) => t.id === id);
}

/** Qwen3-ASR's model type id as written by Qwen3ASRConverter. */
export const qwen3AsrModelTypeId = 0x1000010f;
