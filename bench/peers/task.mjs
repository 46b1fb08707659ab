// The peers' task: the same sum of squares as the cpu workload's kernel for n < 2^26, exact.
export default function sumSquares(n) {
  let acc = 0;
  let carries = 0;
  for (let i = 0; i < n; i++) {
    acc += i * i;
    if (acc >= 2 ** 52) {
      acc -= 2 ** 52;
      carries++;
    }
  }
  return (BigInt(carries) * 2n ** 52n + BigInt(acc)).toString();
}
