/*
 * The PCI bus's interface to drivers (dev/pci/pci.c).
 */
#ifndef _DEV_PCI_PCIVAR_H_
#define _DEV_PCI_PCIVAR_H_

#include <sys/types.h>

/* Configuration space, mechanism #1; takes pci_cfg_lock. */
uint32_t	pci_cfg_read32(int bus, int slot, int func, int reg);

#endif /* _DEV_PCI_PCIVAR_H_ */
