/**
 * The starter's UI components, in one place for the Vipps MobilePay files. The dtc-starter has its own
 * (`@modules/common/components/ui`); the older Next.js starter uses `@medusajs/ui` (see
 * examples/storefront/nextjs/ for that version of this file). Same props in both: Button (variant, size,
 * isLoading), Heading (level), Text, Input, Label.
 */
export { Button, Heading, Input, Label, Text } from "@modules/common/components/ui"
