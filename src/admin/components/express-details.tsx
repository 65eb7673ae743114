import { Badge, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import type { ExpressView } from "../../api/admin/vipps/payments/[id]/route"

/**
 * An Express payment's part of the order panel: the delivery the customer chose in the Vipps MobilePay app
 * and the address and contact the app shared, as Vipps MobilePay holds them (the order got the same).
 */
export function ExpressDetails({ express }: { express: ExpressView }) {
  const { shipping_option: option, address, contact } = express
  const place = address ? [address.postal_code, address.city].filter(Boolean).join(" ") : ""
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="vipps-express">
      <div className="flex items-center gap-x-2">
        <Text size="small" weight="plus">
          Express checkout
        </Text>
        <Badge size="2xsmall">chosen in the app</Badge>
      </div>
      {!option && !address && !contact && (
        <Text size="small" className="text-ui-fg-subtle">
          The customer has not approved yet: delivery and address come with the approval.
        </Text>
      )}
      {option && (
        <Line label="Delivery" testId="vipps-express-delivery">
          <Text size="small">{option.name ?? option.id}</Text>
          {option.price && (
            <Text size="small" className="text-ui-fg-subtle">
              {option.price.value === 0 ? "Free" : `${option.price.decimal} ${option.price.currency}`}
            </Text>
          )}
        </Line>
      )}
      {address && (
        <Line label="Deliver to" testId="vipps-express-address">
          {address.line_1 && <Text size="small">{address.line_1}</Text>}
          {address.line_2 && <Text size="small">{address.line_2}</Text>}
          {(place || address.country) && (
            <Text size="small">{[place, address.country].filter(Boolean).join(", ")}</Text>
          )}
        </Line>
      )}
      {contact && (
        <Line label="Customer" testId="vipps-express-contact">
          {contact.name && <Text size="small">{contact.name}</Text>}
          {contact.email && <Text size="small">{contact.email}</Text>}
          {contact.phone && <Text size="small">+{contact.phone}</Text>}
        </Line>
      )}
    </div>
  )
}

function Line({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="flex items-start justify-between gap-x-4" data-testid={testId}>
      <Text size="small" className="text-ui-fg-subtle">
        {label}
      </Text>
      <div className="flex flex-col items-end text-right">{children}</div>
    </div>
  )
}
