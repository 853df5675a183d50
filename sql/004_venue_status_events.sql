-- Acknowledgement timeouts (issue 5): when a venue does not answer in time the gateway asks it for the
-- order's status (OrderStatusRequest) and reconciles the order with the answer. Both are order events:
--   venue-status-query  the gateway's OrderStatusRequest to the venue
--   venue-status        the venue's status answer (ExecType I): ord_status and cum_qty when it knows the
--                       order, NULL with its text when it does not
ALTER TABLE audit.order_events DROP CONSTRAINT order_events_event_type_check;
ALTER TABLE audit.order_events ADD CONSTRAINT order_events_event_type_check CHECK (event_type IN (
    'new', 'modify', 'cancel', 'status', 'mass-cancel',
    'accepted', 'rejected', 'partial-fill', 'fill', 'canceled', 'replaced', 'expired', 'cancel-rejected',
    'mass-cancel-done', 'status-answered', 'pending-cancel', 'pending-replace', 'done-for-day',
    'routed', 'venue-cancel', 'venue-replace', 'venue-status-query',
    'venue-accepted', 'venue-fill', 'venue-canceled', 'venue-replaced', 'venue-rejected',
    'venue-cancel-rejected', 'venue-expired', 'venue-status'));
