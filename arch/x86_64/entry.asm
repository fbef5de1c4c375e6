; arch/x86_64/entry.asm - the 256 interrupt and exception entry stubs.
;
; The CPU enters a stub with this on the stack (64-bit mode always pushes
; SS:RSP, and aligns RSP to 16 bytes first):
;
;        +40  SS
;        +32  RSP        of the interrupted code
;        +24  RFLAGS
;        +16  CS         (CS & 3 == 3: it came from user mode)
;         +8  RIP
;         +0  error code (only vectors 8, 10-14, 17, 21, 29, 30)
;
; Each stub makes the frame uniform (pushes a 0 error code where the CPU
; pushed none), pushes its vector number and jumps to common_interrupt,
; which saves every general register so that the stack holds a complete
; struct pt_regs (arch/x86_64/ptrace.h), and calls
;
;        void idt_dispatch(struct pt_regs *regs)     (arch/x86_64/traps.c)
;
; On return the registers are restored from pt_regs - the C code may have
; changed them (an exception-table fixup changes RIP) - and iretq resumes.
; The syscall instruction enters at entry_SYSCALL_64 below and builds the
; same struct pt_regs.
;
; Two macros make the two stub shapes; %rep generates all 256 of them and
; the table isr_stub_table[] that idt_init() installs.

section .text
bits 64
extern idt_dispatch

%macro STUB_NOERR 1
isr_%1:
    push 0                    ; no error code from the CPU: keep the frame shape
    push %1                   ; vector number
    jmp common_interrupt
%endmacro

%macro STUB_ERR 1
isr_%1:
    push %1                   ; the CPU already pushed an error code
    jmp common_interrupt
%endmacro

%assign v 0
%rep 256
  %if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    STUB_ERR v
  %else
    STUB_NOERR v
  %endif
  %assign v v + 1
%endrep

; Offsets in struct pt_regs (arch/x86_64/ptrace.h).
PT_RIP    equ 17 * 8
PT_CS     equ 18 * 8
PT_RSP    equ 20 * 8
SYSCALL_VECTOR equ 0x100          ; "vector" of a pt_regs made by the syscall entry

%include "arch/x86_64/percpu.inc"

%macro PUSH_REGS 0                ; the reverse of the field order of struct pt_regs
    push rdi
    push rsi
    push rdx
    push rcx
    push rax
    push r8
    push r9
    push r10
    push r11
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
%endmacro

%macro POP_REGS 0
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    pop r11
    pop r10
    pop r9
    pop r8
    pop rax
    pop rcx
    pop rdx
    pop rsi
    pop rdi
%endmacro

extern exit_to_user_mode
extern do_syscall_64

; common_interrupt: build struct pt_regs, call C, unwind, iretq.
; Coming from ring 3, GS holds the user's base: swapgs first, so that the
; kernel's %gs:-relative per-CPU data works, and swap back on the way out.
common_interrupt:
    PUSH_REGS
    cld
    test byte [rsp + PT_CS], 3
    jz .from_kernel
    swapgs
.from_kernel:
    mov rdi, rsp              ; struct pt_regs *
    call idt_dispatch
    test byte [rsp + PT_CS], 3
    jnz ret_to_user
    POP_REGS
    add rsp, 16               ; vector and error code
    iretq

; ret_to_user: leave the kernel for ring 3 through the struct pt_regs at RSP.
; exit_to_user_mode() first reschedules and delivers signals as needed
; (kernel/entry.c) and returns with interrupts off.
global ret_to_user
ret_to_user:
    mov rdi, rsp
    call exit_to_user_mode
restore_user_regs_and_iret:
    POP_REGS
    add rsp, 16
    swapgs
    iretq

; A forked child's first return to user mode (arch/x86_64/switch.asm).
global ret_to_user_from_fork
ret_to_user_from_fork:
    jmp ret_to_user

; entry_SYSCALL_64: the "syscall" instruction lands here (MSR_LSTAR), with
; RCX = user RIP, R11 = user RFLAGS, RSP still the user's, interrupts off
; (MSR_FMASK clears IF). Build a struct pt_regs on the task's kernel stack
; exactly as an interrupt would, so fork(), signals and execve see one format.
global entry_SYSCALL_64
entry_SYSCALL_64:
    swapgs
    mov [gs:PCPU_USER_RSP], rsp
    mov rsp, [gs:PCPU_TOP_OF_STACK]
    push 0x2b                 ; SS  = __USER_DS
    push qword [gs:PCPU_USER_RSP]
    push r11                  ; RFLAGS
    push 0x33                 ; CS  = __USER_CS
    push rcx                  ; RIP
    push rax                  ; error_code slot = orig_rax: the syscall number
    push SYSCALL_VECTOR
    PUSH_REGS
    cld
    mov rdi, rsp
    call do_syscall_64        ; arch/x86_64/syscall.c; true: sysret is safe
    test al, al
    jz restore_user_regs_and_iret
    ; sysretq reloads RIP from RCX and RFLAGS from R11: do_syscall_64 made
    ; pt_regs' rcx/r11 equal to rip/rflags before saying yes.
    POP_REGS
    mov rsp, [rsp + 16 + 24]  ; skip vector, error code, RIP, CS, RFLAGS: the user RSP
    swapgs
    o64 sysret

section .rodata
global isr_stub_table
align 8
isr_stub_table:
%assign v 0
%rep 256
    dq isr_ %+ v
  %assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
