; arch/x86_64/switch.asm - switching from one task's kernel stack to another's.
;
; void __switch_to_asm(struct task_struct *prev, struct task_struct *next,
;                      unsigned long *prev_sp, unsigned long next_sp)
;
; Saves the callee-saved registers on prev's stack, stores prev's RSP in
; *prev_sp, loads next_sp, pops next's callee-saved registers, and tail-calls
; the C half __switch_to(prev, next) (arch/x86_64/process.c). When that
; returns, it returns into whatever next was doing when it last switched out
; - usually the middle of schedule() - with RAX = prev.
;
; A task that never ran has a stack made by copy_thread() (process.c): six
; register slots (RBX = the kernel thread's function or 0, R12 = its
; argument) and then the address of ret_from_fork_asm, so that its first
; "return" lands there. Above that frame sits the task's struct pt_regs,
; which the way to user mode pops.

section .text
bits 64
extern __switch_to
extern schedule_tail
extern kthread_finish
extern ret_to_user_from_fork

global __switch_to_asm
__switch_to_asm:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdx], rsp            ; prev->thread.sp
    mov rsp, rcx              ; next->thread.sp
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    jmp __switch_to           ; rdi = prev, rsi = next still; its ret goes to next's caller

; The first code a new task runs.
global ret_from_fork_asm
ret_from_fork_asm:
    mov rdi, rax              ; prev, returned by __switch_to
    call schedule_tail        ; finish the switch (run-queue lock, interrupts on)
    test rbx, rbx
    jz .user
    mov rdi, r12              ; a kernel thread: fn(arg)
    call rbx
    mov edi, eax
    call kthread_finish       ; exits a kernel thread; returns only if fn exec'd a
                              ; program (init, a test): then on to user mode
.user:
    mov rdi, rsp              ; a forked user task: its struct pt_regs is right here
    jmp ret_to_user_from_fork

section .note.GNU-stack noalloc noexec nowrite progbits
