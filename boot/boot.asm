; boot/boot.asm - from GRUB's multiboot2 hand-off to the higher-half kernel.
;
; GRUB loads kernel.elf, finds the multiboot2 header below and jumps to
; _start in 32-bit protected mode with paging off:
;     eax = 0x36d76289 (multiboot2 magic), ebx = physical address of the info block.
;
; What this file does, in order:
;   1. bring up COM1 so that any refusal below can be read;
;   2. check the magic, CPUID, long mode and NX; refuse (message on COM1, then
;      leave QEMU through isa-debug-exit with the failure code) if one is missing;
;   3. build early page tables that map the first 1 GiB of physical memory three
;      times, with 2 MiB pages:
;          identity            0x0000000000000000  (so this code keeps running)
;          direct map          0xffff888000000000  (__va() works from the start)
;          kernel image        0xffffffff80000000  (where the kernel is linked)
;   4. PAE, EFER.LME|NXE, CR0.PG|WP -> long mode, far jump into 64-bit code;
;   5. jump to the higher half, zero .bss, switch to the boot stack (which has
;      an unmapped guard page below it once paging_init() has run) and call
;          kmain(u32 magic, u64 mbi_phys)
;
; mm/init.c later replaces these tables with the final ones and drops the
; identity map. Nothing in this file is used after that.

KERNEL_VMA      equ 0xffffffff80000000
MB2_MAGIC       equ 0xe85250d6              ; in the header
MB2_BOOT_MAGIC  equ 0x36d76289              ; in eax at entry
COM1            equ 0x3f8
DEBUG_EXIT_PORT equ 0xf4
EXIT_FAILURE    equ 0x11                    ; QEMU exit status (0x11 << 1) | 1 = 35

PTE_P    equ 1 << 0
PTE_W    equ 1 << 1
PTE_PS   equ 1 << 7

; ---------------------------------------------------------------------------
; Multiboot2 header: must lie in the first 32 KiB of the file, 8-byte aligned.
section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
    dd MB2_MAGIC
    dd 0                                    ; architecture: i386 protected mode
    dd mb2_header_end - mb2_header
    dd 0x100000000 - (MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
    ; end tag
    dw 0, 0
    dd 8
mb2_header_end:

; ---------------------------------------------------------------------------
section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start
_start:
    cli
    cld
    mov esp, boot_stack32_top
    mov edi, eax                            ; keep magic and info pointer in
    mov esi, ebx                            ; edi/esi: cpuid does not touch them

    call serial_init32

    cmp edi, MB2_BOOT_MAGIC
    jne .bad_magic

    ; CPUID present? (EFLAGS.ID can be toggled)
    pushfd
    pop eax
    mov ecx, eax
    xor eax, 1 << 21
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    cmp eax, ecx
    je .no_long_mode

    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29                       ; LM
    jz .no_long_mode
    test edx, 1 << 20                       ; NX
    jz .no_nx

    ; --- early page tables (in .boot.bss; cleared here, not trusted to be zero)
    mov [edi_save], edi
    mov [esi_save], esi
    mov edi, early_pml4
    mov ecx, (early_tables_end - early_pml4) / 4
    xor eax, eax
    rep stosd

    ; PD: 512 x 2 MiB pages = phys [0, 1 GiB)
    mov edi, early_pd
    mov eax, PTE_P | PTE_W | PTE_PS
    mov ecx, 512
.fill_pd:
    mov [edi], eax
    mov dword [edi + 4], 0
    add eax, 0x200000
    add edi, 8
    loop .fill_pd

    mov eax, early_pd
    or eax, PTE_P | PTE_W
    mov [early_pdpt_low], eax               ; PDPT_low[0]    -> PD
    mov [early_pdpt_high + 510 * 8], eax    ; PDPT_high[510] -> PD (0xffffffff80000000)

    mov eax, early_pdpt_low
    or eax, PTE_P | PTE_W
    mov [early_pml4], eax                   ; PML4[0]   identity
    mov [early_pml4 + 273 * 8], eax         ; PML4[273] direct map 0xffff888000000000
    mov eax, early_pdpt_high
    or eax, PTE_P | PTE_W
    mov [early_pml4 + 511 * 8], eax         ; PML4[511] kernel image

    mov edi, [edi_save]
    mov esi, [esi_save]

    ; --- into long mode
    mov eax, early_pml4
    mov cr3, eax
    mov eax, cr4
    or eax, 1 << 5                          ; CR4.PAE
    mov cr4, eax
    mov ecx, 0xc0000080                     ; IA32_EFER
    rdmsr
    or eax, (1 << 8) | (1 << 11)            ; LME | NXE
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1       ; PG | WP | PE
    mov cr0, eax

    lgdt [early_gdt_ptr]
    jmp 0x08:long_mode_low

.bad_magic:
    mov esi, msg_bad_magic
    jmp refuse
.no_long_mode:
    mov esi, msg_no_lm
    jmp refuse
.no_nx:
    mov esi, msg_no_nx
    jmp refuse

; refuse: print the string at esi on COM1, leave QEMU with the failure code,
; and halt forever on real hardware.
refuse:
    call serial_puts32
    mov al, EXIT_FAILURE
    out DEBUG_EXIT_PORT, al
.halt:
    hlt
    jmp .halt

; serial_init32: COM1 at 115200 8N1, FIFO on, no interrupts.
serial_init32:
    mov dx, COM1 + 1
    xor al, al
    out dx, al                              ; IER = 0
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al                              ; LCR: DLAB
    mov dx, COM1 + 0
    mov al, 1
    out dx, al                              ; divisor low = 1 (115200)
    mov dx, COM1 + 1
    xor al, al
    out dx, al                              ; divisor high
    mov dx, COM1 + 3
    mov al, 0x03
    out dx, al                              ; 8N1
    mov dx, COM1 + 2
    mov al, 0xc7
    out dx, al                              ; FIFO on, cleared
    ret

; serial_puts32: print the NUL-terminated string at esi.
serial_puts32:
.next:
    lodsb
    test al, al
    jz .done
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20                           ; LSR.THRE
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    jmp .next
.done:
    ret

bits 64
long_mode_low:
    mov rax, long_mode_high                 ; 64-bit absolute address
    jmp rax

; ---------------------------------------------------------------------------
section .boot.data progbits alloc noexec write align=16
align 8
early_gdt:
    dq 0
    dq 0x00af9a000000ffff                   ; 0x08: 64-bit code, DPL 0
    dq 0x00cf92000000ffff                   ; 0x10: data, DPL 0
early_gdt_end:
early_gdt_ptr:
    dw early_gdt_end - early_gdt - 1
    dd early_gdt
    dd 0

edi_save: dd 0
esi_save: dd 0

msg_bad_magic:
    db 13, 10, "boot: not started by a multiboot2 loader (bad magic in eax); halting.", 13, 10, 0
msg_no_lm:
    db 13, 10, "boot: this CPU has no long mode (it is not x86-64); this kernel needs one. Halting.", 13, 10, 0
msg_no_nx:
    db 13, 10, "boot: this CPU has no NX (no-execute) bit; this kernel needs it. Halting.", 13, 10, 0

section .boot.bss nobits alloc noexec write align=4096
early_pml4:      resb 4096
early_pdpt_low:  resb 4096
early_pdpt_high: resb 4096
early_pd:        resb 4096
early_tables_end:
                 resb 1024
boot_stack32_top:

; ---------------------------------------------------------------------------
section .text
bits 64
extern kmain
extern __bss_start, __bss_stop
long_mode_high:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax

    mov r12d, edi                           ; magic (zero-extended)
    mov r13d, esi                           ; mbi physical address

    mov rdi, __bss_start                    ; the boot stack lives in .bss:
    mov rcx, __bss_stop                     ; clear before using it
    sub rcx, rdi
    xor eax, eax
    rep stosb

    mov rsp, boot_stack_top
    xor ebp, ebp                            ; ends every backtrace
    mov edi, r12d
    mov rsi, r13
    call kmain
.hang:
    cli
    hlt
    jmp .hang

; The first kernel stack. boot_stack_guard stays unmapped in the final page
; tables, so running off the bottom faults instead of corrupting .bss.
section .bss.stack nobits alloc noexec write align=4096
global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:  resb 4096
boot_stack_bottom: resb 16384
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
