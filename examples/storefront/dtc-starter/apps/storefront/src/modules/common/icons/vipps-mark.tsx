/**
 * A small brand mark for the payment method list (`paymentInfoMap` in src/lib/constants.tsx): Vipps
 * orange for Norway, MobilePay blue for Denmark and Finland. A neutral stand-in drawn here; for a live
 * shop, replace the <svg> with the official logo files from Vipps MobilePay's brand guidelines (they ask
 * that the logo is not redrawn or recoloured).
 */
type Props = { brand?: "vipps" | "mobilepay"; size?: number; className?: string }

const BRAND = {
  vipps: { color: "#FF5B24", letter: "V", name: "Vipps" },
  mobilepay: { color: "#5A78FF", letter: "M", name: "MobilePay" },
} as const

export default function VippsMark({ brand = "vipps", size = 20, className }: Props) {
  const { color, letter, name } = BRAND[brand]
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 20 20"
      role="img"
      aria-label={name}
      className={className}
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width="20" height="20" rx="5" fill={color} />
      <text
        x="10"
        y="14.5"
        textAnchor="middle"
        fontFamily="system-ui, sans-serif"
        fontSize="12"
        fontWeight="700"
        fill="#fff"
      >
        {letter}
      </text>
    </svg>
  )
}
