/* minisol: a module's linkage, as in SVR4: its run-once _init and its (never called) _fini. */
#ifndef _MINISOL_MODLINKAGE_H
#define _MINISOL_MODLINKAGE_H

struct modlinkage {
	const char *ml_name;
	void (*ml_init)(void);
	int (*ml_fini)(void);
	int ml_early;              /* initialized by main before any thread runs */
};

#endif
