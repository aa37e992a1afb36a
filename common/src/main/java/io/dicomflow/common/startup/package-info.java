/**
 * Start-up against infrastructure that is not there yet: a service started while PostgreSQL is down (a
 * restart of both, a node reboot, a database failover) waits for it instead of exiting, so that an
 * orchestrator sees a slow start rather than a crash loop. RabbitMQ needs nothing of the kind (Spring AMQP's
 * listener containers and the outbox relay reconnect by themselves) and S3 is only used per request.
 */
package io.dicomflow.common.startup;
