// `user_agent.*` from `user_agent.original`, parsed by ua-parser-js 1.x (MIT; 2.x is AGPL). The same
// few clients sign in over and over, so parsed strings are cached.
import UAParser from 'ua-parser-js';
import { put, read } from '../fields.js';
import type { Enricher } from '../index.js';
import { LruCache } from './lru-cache.js';

const CACHED_AGENTS = 1_000;

/** ECS path → value. */
type UserAgentFields = Array<[string, string | undefined]>;

export function createUserAgentEnricher(): Enricher {
  const cache = new LruCache<string, UserAgentFields>(CACHED_AGENTS);
  return {
    enrich(doc) {
      const original = read(doc, 'user_agent.original');
      if (typeof original !== 'string' || original === '') return;
      for (const [path, value] of cache.remember(original, parse)) put(doc, path, value);
    },
  };
}

function parse(original: string): UserAgentFields {
  const { browser, os, device } = new UAParser(original).getResult();
  return [
    ['user_agent.name', browser.name],
    ['user_agent.version', browser.version],
    ['user_agent.os.name', os.name],
    ['user_agent.os.version', os.version],
    ['user_agent.os.full', [os.name, os.version].filter(Boolean).join(' ')],
    // ua-parser names the model ("iPhone", "Macintosh", "SM-G960F"), as ECS's device.name example does.
    ['user_agent.device.name', device.model],
  ];
}
