/// The network core feeds the delivery loop: its triggers go to the callbacks, and the BIDIR answers
/// come back to it to decide the downlink and the ACKNOWLEDGE (SIGFOX.md section 5).
extension NetworkCore: TriggerSource {}
