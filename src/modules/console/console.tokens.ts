/** Injection token of the ConsoleCatalog (the files the console serves, read at boot). */
export const CONSOLE_CATALOG = Symbol('CONSOLE_CATALOG');
