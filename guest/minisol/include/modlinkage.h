/* minisol: a module's linkage, as in SVR4: its run-once _init and its (never called) _fini. */
#ifndef _MINISOL_MODLINKAGE_H
#define _MINISOL_MODLINKAGE_H

struct modlinkage {
	const char *ml_name;
	void (*ml_init)(void);
	int (*ml_fini)(void);
	int ml_early;              /* initialized by main before any thread runs */
	/*
	 * Set by main once ml_init has returned (Solaris' modctl mod_installed): from then on the
	 * module's _init code never runs again, and the host may use it as springboard space.
	 * Offset 16 (src/main/core/instrument/minisol.ts reads it).
	 */
	volatile int ml_installed;
};

#endif
