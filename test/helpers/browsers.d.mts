export declare const PERSON_UA: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare function browserPath(name: 'chromium' | 'firefox'): string;
