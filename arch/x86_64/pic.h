/* arch/x86_64/pic.h - the two legacy 8259A interrupt controllers. */
#ifndef ARCH_X86_64_PIC_H
#define ARCH_X86_64_PIC_H

#include "kernel/types.h"

void pic_init(void);
void pic_mask(int irq);
void pic_unmask(int irq);
void pic_eoi(int irq);
bool pic_is_spurious(int irq);

#endif
