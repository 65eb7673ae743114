export function freePort(preferred?: number): Promise<number>
export function freePorts(count: number): Promise<number[]>
