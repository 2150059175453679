# Entry of the native benchmark (-bios none: M-mode at the start of RAM):
# stack, FPU on, .bss cleared, main, then power off through sifive_test
# (0x5555 = pass; a trap reports its cause and fails with code 99).
    .section .text.init, "ax"
    .globl _start
_start:
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0
    li      t0, 0x2000              # mstatus.FS = initial
    csrs    mstatus, t0
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:  call    main
    li      t1, 0x5555
    j       power_off

    .align 2
trap_entry:
    la      sp, __stack_top
    csrr    a0, mcause
    csrr    a1, mepc
    call    report_trap
    li      t1, (99 << 16) | 0x3333
power_off:
    li      t0, 0x100000
    sw      t1, 0(t0)
3:  j       3b
